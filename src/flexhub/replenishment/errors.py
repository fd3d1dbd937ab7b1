"""Replenishment error codes."""

from flexhub.kernel.errors import Conflict, error_class

HistoryTooShort = error_class("replenishment.history_too_short", 409, Conflict)
LearnedUnavailable = error_class("replenishment.learned_unavailable", 409, Conflict)

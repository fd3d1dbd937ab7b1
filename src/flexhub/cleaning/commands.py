"""Cleaning commands and what their handlers answer."""

from dataclasses import dataclass
from typing import Any

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class SetCleaningRules(Command):
    """The tenant's whole rule set, replacing the one before (an empty list turns cleaning off)."""

    rules: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class CleaningRulesSet:
    rules: list[dict[str, Any]]

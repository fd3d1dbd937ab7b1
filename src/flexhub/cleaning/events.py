"""Cleaning events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class CleaningRulesChanged(Event):
    rules: list[str]  # their names, in order

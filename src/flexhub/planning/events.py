"""Planning events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class SalesHistoryImported(Event):
    lines: int
    first_day: str
    last_day: str
    units: int

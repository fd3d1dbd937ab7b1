"""Planning events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class SalesHistoryImported(Event):
    lines: int
    first_day: str
    last_day: str
    units: int


@dataclass(frozen=True, kw_only=True)
class PlanningEventCreated(Event):
    planning_event_id: str
    name: str
    kind: str
    starts_on: str
    ends_on: str
    skus: list[str]
    channels: list[str]
    uplift: float
    starts_at: str | None = None  # ISO times, when announced with them
    ends_at: str | None = None
    units_per_sku: int | None = None

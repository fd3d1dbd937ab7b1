"""Planning commands, and what their handlers answer."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class SalesDay:
    """One line of imported history: units sold of a SKU at a node on a day (through a channel, if named)."""

    sku: str
    location: str
    day: date
    units: int
    channel: str | None = None
    stocked_out: bool = False


@dataclass(frozen=True, kw_only=True)
class ImportSalesHistory(Command):
    """Sales from before the hub, for the forecasts: all lines are stored or none is."""

    days: list[SalesDay] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class HistoryImported:
    """What ImportSalesHistory answers: lines stored (of which replaced earlier ones), the days they span, units."""

    lines: int
    replaced: int
    first_day: date | None
    last_day: date | None
    units: int


@dataclass(frozen=True, kw_only=True)
class CreateEvent(Command):
    """A campaign or live-room session the forecasts should expect: an uplift, or a discount it follows from. Its
    days, or the times its sales start and end (the days then default from them), with the units each SKU is
    expected to sell meanwhile if known."""

    name: str
    kind: str
    skus: list[str]
    starts_on: date | None = None
    ends_on: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    units_per_sku: int | None = None
    channels: list[str] = field(default_factory=list)
    expected_uplift: float | None = None
    discount_percent: float | None = None

"""The planning API's bodies."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.text import StorableText

MAX_LINES = 20_000  # a year of one SKU at 50 nodes fits; more goes in several imports


class SalesDayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: StorableText = Field(min_length=1, max_length=64)
    location: StorableText = Field(min_length=1, max_length=64)
    channel: StorableText | None = Field(default=None, min_length=1, max_length=64)
    day: date
    units: int = Field(ge=0, le=10_000_000)
    stocked_out: bool = Field(default=False, description="the node ran out that day: its demand is unknown")


class HistoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: list[SalesDayIn] = Field(min_length=1, max_length=MAX_LINES)


class HistoryOut(BaseModel):
    lines: int
    replaced: int
    first_day: date | None
    last_day: date | None
    units: int


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StorableText = Field(min_length=1, max_length=200)
    kind: Literal["campaign", "live_room"]
    starts_on: date | None = Field(default=None, description="the first day of the event; default: starts_at's day")
    ends_on: date | None = Field(default=None, description="the last day of the event (inclusive); default: ends_at's "
                                                           "day")
    starts_at: datetime | None = Field(default=None, description="when its sales start, with the time zone (a live "
                                       "room's session, a flash sale): the stock sync's slow stores hold back ahead "
                                       "of it; with ends_at")
    ends_at: datetime | None = Field(default=None, description="when its sales end, after starts_at")
    units_per_sku: int | None = Field(default=None, ge=1, le=10_000_000, description="units each SKU is expected to "
                                      "sell between starts_at and ends_at; none: the sale means to sell what it has")
    skus: list[Annotated[StorableText, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=2000)
    channels: list[Annotated[StorableText, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, max_length=100, description="the channels it sells through; none: every channel")
    expected_uplift: float | None = Field(default=None, gt=0, le=50,
                                          description="demand on its days ÷ usual demand (2.5: two and a half times)")
    discount_percent: float | None = Field(default=None, ge=0, lt=100,
                                           description="used when no uplift is given: uplift = (1 − d)^−2")


class EventOut(BaseModel):
    id: str
    name: str
    kind: str
    starts_on: date
    ends_on: date
    starts_at: datetime | None
    ends_at: datetime | None
    units_per_sku: int | None
    skus: list[str]
    channels: list[str]
    expected_uplift: float | None
    discount_percent: float | None
    uplift: float
    created_by: str
    created_at: datetime


class EventsOut(BaseModel):
    events: list[EventOut]

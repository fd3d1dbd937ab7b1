"""The planning API's bodies."""

from datetime import date

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

"""Channel DTOs."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flexhub.catalog.schemas import Code


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    platform: str = Field(min_length=1, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    partner: str | None = Field(default=None, max_length=64)
    pools: list[str] = Field(default_factory=lambda: ["spot"], min_length=1, max_length=10)
    unpaid_hold_minutes: int | None = Field(default=None, gt=0, le=60 * 24 * 30)
    settings: dict[str, Any] = Field(default_factory=dict)


class ChannelOut(BaseModel):
    id: str
    code: str
    platform: str
    name: str
    pools: list[str]
    unpaid_hold_minutes: int | None

"""Channel DTOs."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.codes import Code


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "web", "platform": "generic"}]})

    code: str = Code
    platform: str = Field(min_length=1, max_length=32)
    name: str | None = Field(default=None, max_length=200)
    partner: str | None = Field(default=None, max_length=64)
    pools: list[str] = Field(default_factory=lambda: ["spot"], min_length=1, max_length=10)
    unpaid_hold_minutes: int | None = Field(default=None, gt=0, le=60 * 24 * 30)
    settings: dict[str, Any] = Field(default_factory=dict)
    credentials: dict[str, str] = Field(
        default_factory=dict, description="the platform's keys, named as it names them in snake_case; "
        "stored encrypted, never returned")


class ChannelOut(BaseModel):
    id: str
    code: str
    platform: str
    name: str
    pools: list[str]
    unpaid_hold_minutes: int | None
    credential_names: list[str]
    missing_credentials: list[str]


class ListingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_sku: str = Field(min_length=1, max_length=120)
    sku: str = Field(min_length=1, max_length=64)
    external_item_id: str | None = Field(default=None, max_length=120)
    external_location_id: str | None = Field(default=None, max_length=120)


class ListingOut(BaseModel):
    id: str
    channel: str
    external_sku: str
    sku: str
    external_item_id: str | None
    external_location_id: str | None

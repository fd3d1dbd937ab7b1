"""Channel DTOs."""

from typing import Any

from fastapi import Body
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
    settings: dict[str, Any] = Field(
        default_factory=dict, description="the channel's settings; `allocation` is checked as PUT "
        "/api/v1/channels/{code}/allocation checks it")
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
    allocation: dict[str, Any] | None = Field(
        default=None, description="this listing's own allocation policy (as PUT .../allocation takes it); "
        "none: the channel's")


LISTINGS_PER_BATCH = 1000


class ListingBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    listings: list[ListingIn] = Field(min_length=1, max_length=LISTINGS_PER_BATCH)


class ListingRefusedOut(BaseModel):
    external_sku: str
    code: str = Field(description="the error's stable code, as a single listing's answer carries it")
    message: str


class ListingBatchOut(BaseModel):
    channel: str
    created: list["ListingOut"]
    refused: list[ListingRefusedOut]


class ListingOut(BaseModel):
    id: str
    channel: str
    external_sku: str
    sku: str
    external_item_id: str | None
    external_location_id: str | None
    allocation: dict[str, Any]


# What an allocation policy holds; checked by the hub (code channels.invalid_allocation, 422) rather than here, so
# channel creation, the channel's policy and a listing's override are refused alike.
ALLOCATION = Body(openapi_examples={
    "shared": {"summary": "show what the pool has left after the carve-outs", "value": {"mode": "shared",
                                                                                     "buffer": 2}},
    "quota": {"summary": "a live room's fixed quota, carved first",
              "value": {"mode": "quota", "quota": 300, "priority": 10}},
    "percentage": {"summary": "a share of what is available", "value": {"mode": "percentage", "percentage": 30,
                                                                        "cap": 500}},
}, description="mode: shared | quota | percentage; quota (units, mode quota), percentage (0-100, mode "
   "percentage), priority (lower carves first), buffer (units held back), cap (most ever shown, or null)")


class AllocationOut(BaseModel):
    channel: str
    listing: str | None
    allocation: dict[str, Any]
    skus_replanned: int

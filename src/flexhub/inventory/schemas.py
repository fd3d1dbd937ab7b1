"""Inventory DTOs."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.codes import Code

PoolName = Field(default="spot", min_length=1, max_length=80)


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    kind: Literal["central", "regional", "cloud", "store", "supplier"]
    name: str | None = Field(default=None, max_length=200)
    partner: str | None = Field(default=None, max_length=64)
    region: str | None = Field(default=None, max_length=64)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    province: str | None = Field(default=None, max_length=64)
    city: str | None = Field(default=None, max_length=64)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    can_ship: bool = True
    can_pickup: bool = False
    priority: int = Field(default=100, ge=0, le=10_000)
    daily_capacity: int | None = Field(default=None, ge=0, le=10_000_000)
    secure: bool = Field(default=False, description="may ship high-value SKUs")
    packs_fragile: bool = Field(default=False, description="may ship fragile SKUs")


class LocationOut(BaseModel):
    id: str
    code: str
    kind: str
    name: str
    can_ship: bool
    can_pickup: bool
    priority: int


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 20, "reason": "delivery"}]})

    sku: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=64)
    pool: str = PoolName
    quantity_delta: int = Field(ge=-10_000_000, le=10_000_000, description="signed; zero is refused")
    reason: str = Field(min_length=1, max_length=200)
    kind: Literal["adjust", "receive", "return"] = "adjust"
    reference: str | None = Field(default=None, max_length=120)


class CountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=64)
    pool: str = PoolName
    counted: int = Field(ge=0, le=10_000_000)
    reason: str = Field(default="cycle count", min_length=1, max_length=200)


class SafetyStockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=64)
    pool: str = PoolName
    quantity: int = Field(ge=0, le=10_000_000)


class SafetyStockOut(BaseModel):
    sku: str
    location: str
    pool: str
    safety: int


class TransferLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=10_000_000)
    pool: str = PoolName


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_location: str = Field(min_length=1, max_length=64)
    to_location: str = Field(min_length=1, max_length=64)
    lines: list[TransferLineIn] = Field(min_length=1, max_length=500)
    reference: str | None = Field(default=None, max_length=120)


class LevelOut(BaseModel):
    location: str | None = Field(description="the node; None in a partner's answer, each pool added up over the nodes")
    pool: str
    on_hand: int
    reserved: int
    safety: int
    in_transit: int
    available: int


class LevelsOut(BaseModel):
    sku: str
    bundle: bool
    levels: list[LevelOut]


class TransferOut(BaseModel):
    id: str
    state: str

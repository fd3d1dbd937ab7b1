"""Stores DTOs."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.results import Result


class PriceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: int = Field(ge=0, le=2**31 - 1, description="minor units of `currency`")
    currency: str = Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")


class PriceOut(Result, BaseModel):
    sku: str
    amount: int
    currency: str
    updated_at: datetime


class StoreStock(BaseModel):
    code: str
    name: str
    available: int
    can_pickup: bool


class ShipPromise(BaseModel):
    nodes: list[str] = Field(description="the nodes routing would ship from")
    days: int
    shipping_price: int


class Promise(BaseModel):
    take_now: bool = Field(description="the store has it: take it now or pick it up")
    ship: ShipPromise | None = Field(description="from elsewhere in the network to the store's city; null: nowhere")


class ShelfOut(BaseModel):
    sku: str
    name: str
    barcode: str | None
    price: int | None
    currency: str | None
    store: StoreStock
    network_available: int
    promise: Promise
    url: str = Field(description="the shopper's page the store's QR code opens")

"""Fulfilment DTOs: what the shipment routes take and answer."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from flexhub.shipping import TRACKING_STATES


class ShipmentLineIn(BaseModel):
    line_no: int = Field(ge=1)
    quantity: int | None = Field(default=None, ge=1, description="None: every unit of the line free at the node")


class ShipmentIn(BaseModel):
    node: str | None = Field(default=None, max_length=64, description="None: the one node holding the order's stock")
    lines: list[ShipmentLineIn] | None = Field(default=None, description="None: everything free at the node")
    carrier: str | None = Field(default=None, max_length=32)
    service: str | None = Field(default=None, max_length=64)


class PickIn(BaseModel):
    short: dict[str, int] = Field(default_factory=dict, description="SKU code → units the node could not find")


class ShipIn(BaseModel):
    waybill_number: str | None = Field(default=None, max_length=64, description="a waybill made outside the hub")


class CollectIn(BaseModel):
    code: str = Field(pattern=r"^\d{6}$")


class TrackingIn(BaseModel):
    state: Literal[TRACKING_STATES]  # type: ignore[valid-type]  # pydantic reads the tuple's values; mypy takes no variable
    at: datetime | None = None
    description: str = Field(default="", max_length=200)


class CarrierAccountIn(BaseModel):
    carrier: str = Field(max_length=32)
    node: str | None = Field(default=None, max_length=64)
    credentials: dict[str, str]


class ShipmentLineOut(BaseModel):
    line_no: int
    sku: str
    pool: str
    quantity: int


class ShipmentOut(BaseModel):
    id: str
    order_id: str
    node: str | None = Field(description="the node it leaves from; None in a partner's answer (blind drop-ship)")
    state: str
    state_reason: str | None
    carrier: str | None
    service: str | None
    waybill_state: str
    waybill_number: str | None
    waybill_error: str | None
    label_url: str | None
    has_label: bool
    label_format: str | None
    pickup: bool
    pickup_code: str | None = Field(default=None, description="only in the answer that creates a pickup shipment")
    tracking_state: str | None
    last_event_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    lines: list[ShipmentLineOut]

"""Return DTOs."""

from datetime import datetime

from pydantic import BaseModel, Field


class ReturnIn(BaseModel):
    lines: dict[str, int] = Field(min_length=1, description="SKU code → units expected back")
    order_id: str | None = None
    channel: str | None = Field(default=None, max_length=64, description="the channel of a refund request")
    external_id: str | None = Field(default=None, max_length=120, description="the channel's refund request id")
    reason: str | None = Field(default=None, max_length=200)
    returns_centre: str | None = Field(default=None, max_length=64, description="the node that will receive it")


class ReceiveIn(BaseModel):
    node: str | None = Field(default=None, max_length=64)
    received: dict[str, int] | None = Field(default=None, description="SKU code → units; None: all expected")


class InspectIn(BaseModel):
    grades: dict[str, dict[str, int]] = Field(description="SKU code → {resellable|refurbish|scrap: units}")


class ReturnLineOut(BaseModel):
    sku: str
    quantity: int
    received: int
    resellable: int
    refurbish: int
    scrap: int


class ReturnOut(BaseModel):
    id: str
    order_id: str | None
    source: str
    external_id: str | None
    reason: str | None
    state: str
    node: str | None
    created_at: datetime
    received_at: datetime | None
    inspected_at: datetime | None
    lines: list[ReturnLineOut]


class ReturnsCentresIn(BaseModel):
    centres: dict[str, str] = Field(description='region (province, country or "*") → node code; replaces all')

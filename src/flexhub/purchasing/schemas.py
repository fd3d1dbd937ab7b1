"""Purchasing DTOs."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.codes import Code
from flexhub.kernel.results import Result

Currency = Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
Units = Field(gt=0, le=10_000_000)
SkuCode = Field(min_length=1, max_length=64)


class SupplierSkuIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lead_time_days: int = Field(ge=0, le=365)
    currency: str = Currency
    moq: int = Field(default=1, ge=1, le=10_000_000)
    pack: int = Field(default=1, ge=1, le=100_000)
    unit_cost: int = Field(default=0, ge=0, le=10**12, description="minor units of `currency`")
    priority: int = Field(default=100, ge=0, le=10_000, description="lower is planned on first")


class SupplierSkuOut(Result, BaseModel):
    supplier: str
    sku: str
    lead_time_days: int
    moq: int
    pack: int
    unit_cost: int
    currency: str
    priority: int
    factory: bool = False


class FactoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    daily_capacity: int = Field(ge=0, le=10_000_000, description="units the factory makes a day")


class FactoryOut(Result, BaseModel):
    supplier: str
    daily_capacity: int


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = SkuCode
    quantity: int = Units
    unit_cost: int | None = Field(default=None, ge=0, le=10**12, description="None: the supplier's terms")


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplier: str = Code
    location: str = Code
    kind: Literal["purchase", "production"] = "purchase"
    expected_on: date | None = Field(default=None, description="None: today + the longest lead time")
    currency: str | None = Field(default=None, min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    reference: str | None = Field(default=None, max_length=120)


class FromSuggestionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: float = Field(default=0.95, gt=0.5, lt=1.0)
    review_days: int = Field(default=7, ge=1, le=90)
    budget: int | None = Field(default=None, ge=0, description="minor units purchases may spend")
    send: bool = Field(default=False, description="send the drafts to their suppliers at once")


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantities: dict[str, int] = Field(default_factory=dict, max_length=500, description="SKU → new quantity")
    expected_on: date | None = None


class AsnLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = SkuCode
    quantity: int = Units


class AsnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expected_on: date = Field(description="expected arrival at the order's node")
    lines: list[AsnLineIn] = Field(min_length=1, max_length=500)
    carrier: str | None = Field(default=None, max_length=64)
    tracking_number: str | None = Field(default=None, max_length=64)


class ReceiveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[AsnLineIn] | None = Field(default=None, max_length=500,
                                          description="units counted per SKU; leave out to receive as announced")
    reason: str = Field(default="supplier delivery", min_length=1, max_length=200)


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Literal["expect_rest", "close_order", "accept", "return_to_supplier"]


class LineOut(Result, BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_cost: int
    proposed_quantity: int | None
    announced: int
    received: int
    open: int


class AsnLineOut(Result, BaseModel):
    sku: str
    quantity: int
    received: int | None


class AsnOut(Result, BaseModel):
    id: str
    order_id: str
    state: str
    expected_on: date
    carrier: str | None
    tracking_number: str | None
    created_at: datetime
    received_at: datetime | None
    lines: list[AsnLineOut]


class Action(Result, BaseModel):
    action: str
    method: str
    path: str
    body: dict[str, str]


class DiscrepancyOut(Result, BaseModel):
    id: str
    order_id: str
    asn_id: str
    sku: str
    kind: str
    expected: int
    received: int
    state: str
    resolution: str | None
    created_at: datetime
    resolved_at: datetime | None
    actions: list[Action]


class OrderHeaderOut(Result, BaseModel):
    id: str
    supplier: str
    kind: str
    location: str
    currency: str
    expected_on: date
    proposed_on: date | None
    state: str
    reference: str | None
    total: int = Field(description="Σ quantity × unit cost, minor units of `currency`")
    created_at: datetime
    updated_at: datetime


class OrderOut(OrderHeaderOut):
    lines: list[LineOut]
    asns: list[AsnOut]
    discrepancies: list[DiscrepancyOut]


class OrdersOut(BaseModel):
    orders: list[OrderHeaderOut]


class FoundOut(Result, BaseModel):
    id: str
    sku: str
    kind: str
    expected: int
    received: int


class ReceiptOut(AsnOut):
    order_state: str
    discrepancies: list[FoundOut]


class SuggestionOut(BaseModel):
    kind: str
    sku: str
    location: str
    quantity: int
    source: str | None


class FromSuggestionsOut(BaseModel):
    orders: list[OrderOut]
    unsourced: list[SuggestionOut] = Field(description="suggestions for SKUs no supplier has terms for")
    transfers: list[SuggestionOut] = Field(description="moves between nodes: transfers, not orders")


class ResolvedOut(Result, BaseModel):
    id: str
    kind: str
    state: str
    resolution: str


class DiscrepanciesOut(BaseModel):
    discrepancies: list[DiscrepancyOut]


class NodeStock(BaseModel):
    location: str
    on_hand: int
    available: int


class NodeForecast(BaseModel):
    location: str
    forecast_28d: float | None = Field(description=(
        "units the brand expects to sell from this node in the next 28 days; null: not enough history (no whole day "
        "of demand at the node yet, as for a SKU that sold only today)"))


class PortalSkuOut(BaseModel):
    sku: str
    name: str
    forecast_28d: float | None = Field(description=(
        "units the brand expects to sell in the next 28 days, all nodes; null: not enough history at any node"))
    forecast_by_node: list[NodeForecast] = Field(description="the same forecast, node by node")
    stock: list[NodeStock]
    on_order: int = Field(description="open order units not yet shipped")
    in_transit: int = Field(description="units on shipment notices not yet received")


class DropshipTaskOut(BaseModel):
    shipment_id: str
    order_number: str
    node: str
    state: str = Field(description="new | acknowledged | packed")
    created_at: datetime
    lines: list[dict[str, Any]]
    sender: str = Field(description="the name the parcel is sent under: the reseller's, for a reseller's order")
    ship_to: dict[str, Any]
    packing_slip: str


class PortalOut(BaseModel):
    supplier: str
    skus: list[PortalSkuOut]
    orders: list[OrderHeaderOut]
    dropship: list[DropshipTaskOut]


class PresaleReceiptOut(BaseModel):
    order_id: str
    reference: str | None
    promised_on: date
    units: int


class PresaleOut(BaseModel):
    sku: str
    location: str
    expected: int  # presale units the open orders back
    promised: int  # of them, reserved by presale orders
    free: int
    receipts: list[PresaleReceiptOut]
    next_promise_on: date | None


class PresalesOut(BaseModel):
    presale: list[PresaleOut]


class DropshipTasksOut(BaseModel):
    tasks: list[DropshipTaskOut]


class DropshipShipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waybill_number: str = Field(min_length=1, max_length=64, description="the waybill the supplier's carrier gave")

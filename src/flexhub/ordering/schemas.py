"""The canonical order as it crosses the API: what an import sends and what a reader gets back."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from flexhub.kernel.clock import as_utc
from flexhub.kernel.money import MinorUnits
from flexhub.kernel.text import KNOWN_STORABLE, StorableText, refuse_unstorable

Text = StorableText
# Order amounts are stored as INTEGER: a larger one is refused here rather than failing the insert.
MAX_AMOUNT = 2**31 - 1


def _in_utc(value: datetime) -> datetime:
    try:
        return as_utc(value)
    except OverflowError as error:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError("the timestamp is out of range in UTC") from error


# Naive timestamps are taken as UTC, so every stored or compared one is aware.
Timestamp = Annotated[datetime, AfterValidator(_in_utc)]


class Buyer(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: Text = Field(min_length=1, max_length=200)
    phone: Text | None = Field(default=None, max_length=40)
    email: Text | None = Field(default=None, max_length=200)
    external_id: Text | None = Field(default=None, max_length=120)


class Address(BaseModel):
    model_config = ConfigDict(extra="allow")

    country: Text = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    province: Text | None = Field(default=None, max_length=64)
    city: Text | None = Field(default=None, max_length=64)
    district: Text | None = Field(default=None, max_length=64)
    line1: Text | None = Field(default=None, min_length=1, max_length=300)
    line2: Text | None = Field(default=None, max_length=300)
    postal_code: Text | None = Field(default=None, max_length=20)

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: Text = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=100_000)
    unit_price: MinorUnits = Field(ge=0, le=MAX_AMOUNT, description="minor units of the order's currency")
    discount: MinorUnits = Field(default=0, ge=0, le=MAX_AMOUNT, description="minor units, for the whole line")
    presale: bool = False
    external_line_id: Text | None = Field(default=None, max_length=120)


MINIMAL_ORDER: dict[str, Any] = {
    "channel": "web", "external_id": "A-1001", "currency": "CNY",
    "buyer": {"name": "张三", "phone": "13800000000"},
    "shipping_address": {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区",
                         "line1": "文三路 90 号", "postal_code": "310000"},
    "lines": [{"sku": "TEE-RED-M", "quantity": 2, "unit_price": 9900}],
}


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [MINIMAL_ORDER]})

    channel: Text = Field(min_length=1, max_length=64)
    external_id: Text = Field(min_length=1, max_length=120)
    currency: Text = Field(pattern=r"^[A-Z]{3}$")
    buyer: Buyer
    shipping_address: Address
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    shipping_fee: MinorUnits = Field(default=0, ge=0, le=MAX_AMOUNT)
    order_discount: MinorUnits = Field(default=0, ge=0, le=MAX_AMOUNT)
    payment_state: Literal["pending", "paid", "refunded", "partially_refunded", "voided"] = Field(
        default="paid", description="voided: the payment was authorized and released, never taken (a cancelled order)"
    )
    presale: bool = False
    vip: bool = False
    live_room: Text | None = Field(default=None, max_length=120)
    streamer: Text | None = Field(default=None, max_length=120)
    placed_at: Timestamp | None = None
    updated_at: Timestamp | None = Field(
        default=None, description="the channel's last change of this order; a newer one updates it"
    )
    cancelled: bool = Field(default=False, description="the channel cancelled this order")
    on_shortage: Literal["backorder", "reject"] = Field(
        default="backorder",
        description="backorder: store it as awaiting_stock (it was already sold on the platform); "
        "reject: answer 409 and store nothing (live sales: own site, store till)",
    )

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: object, info: ValidationInfo) -> object:
        """Every string, the buyer's and address's extra fields included, can be stored and answered (unless the
        caller checked the whole body at once: `kernel.text.known_storable`)."""
        if info.context and info.context.get(KNOWN_STORABLE):
            return data
        return refuse_unstorable(data)

    @model_validator(mode="after")
    def _amounts_fit(self) -> Self:
        gross = sum(line.quantity * line.unit_price for line in self.lines) + self.shipping_fee
        if gross > MAX_AMOUNT or sum(line.discount for line in self.lines) + self.order_discount > MAX_AMOUNT:
            raise ValueError(f"the order's amounts exceed {MAX_AMOUNT} minor units")
        if self.payment_state == "voided" and not self.cancelled:
            raise ValueError("a voided payment is an order cancelled before it was paid: cancelled must be true")
        return self


class OrderLineOut(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: int
    discount: int
    presale: bool


class ReservationOut(BaseModel):
    sku: str
    location: str | None = Field(description="the node holding it; None in a partner's answer (blind)")
    pool: str
    quantity: int
    state: str
    expires_at: datetime | None


class OrderSummaryOut(BaseModel):
    id: str
    channel: str
    external_id: str
    status: str
    status_reason: str | None
    currency: str
    subtotal: int
    discount_total: int
    shipping_fee: int
    total: int
    payment_state: str
    presale: bool
    vip: bool
    live_room: str | None
    streamer: str | None
    buyer: dict[Any, Any]
    shipping_address: dict[Any, Any]
    placed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class OrderOut(OrderSummaryOut):
    lines: list[OrderLineOut]
    reservations: list[ReservationOut]


MAX_BATCH = 500  # orders in one POST /api/v1/orders:batch


class OrderBatchIn(BaseModel):
    orders: list[OrderIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchErrorOut(BaseModel):
    code: str
    message: str
    details: object = None


class OrderBatchResultOut(BaseModel):
    status: int = Field(description="201 imported, 200 already imported (a replay), else the refusal's status")
    order: OrderOut | None = None
    error: BatchErrorOut | None = None


class OrderBatchOut(BaseModel):
    results: list[OrderBatchResultOut]


class OrderListLineOut(BaseModel):
    sku: str
    quantity: int


class OrderListItemOut(OrderSummaryOut):
    skus: list[OrderListLineOut] = Field(description="the order's SKUs and quantities, in line order")
    nodes: list[str] = Field(description="the nodes whose stock the order holds or shipped from")


class OrderListOut(BaseModel):
    orders: list[OrderListItemOut]
    total: int = Field(description="orders matching the filters, on every page")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    sort: str
    near: bool = Field(default=False, description=(
        "true when no order held every word of `q` as typed: those shown hold each word, or one a single edit away "
        "(a letter changed, added, dropped or two swapped), in a SKU code or product name"))

"""Stores DTOs."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.results import Result
from flexhub.kernel.text import StorableText


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


class WechatPayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mchid: str = Field(min_length=1, max_length=32)
    appid: str = Field(min_length=1, max_length=32)
    serial_no: str = Field(min_length=1, max_length=64, description="the merchant API certificate's serial")
    private_key_pem: str = Field(min_length=1, max_length=10_000)
    api_v3_key: str = Field(min_length=32, max_length=32)
    platform_certificates: dict[str, str] = Field(min_length=1, max_length=10,
                                                  description="WeChat Pay platform certificates (PEM) by serial")
    base_url: str = Field(default="https://api.mch.weixin.qq.com", max_length=300)
    allow_private: bool = Field(default=False, description="a private address (the sandbox)")


class AlipayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    app_id: str = Field(min_length=1, max_length=32)
    private_key_pem: str = Field(min_length=1, max_length=10_000, description="the app's RSA2 private key (PEM)")
    alipay_public_key_pem: str = Field(min_length=1, max_length=10_000, description="Alipay's public key (PEM)")
    gateway: str = Field(default="https://openapi.alipay.com/gateway.do", max_length=300)
    allow_private: bool = Field(default=False, description="a private address (the sandbox)")


class AlipayOut(Result, BaseModel):
    app_id: str
    gateway: str


class WechatPayOut(Result, BaseModel):
    mchid: str
    appid: str
    base_url: str
    platform_serials: list[str]


class SaleLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: StorableText = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=1000)
    mode: Literal["take", "pickup", "ship"] = Field(description="take it now, pick it up later, or ship it")


class SaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[SaleLineIn] = Field(min_length=1, max_length=100)
    buyer: dict[str, StorableText] = Field(default_factory=dict, description="name, phone, openid (in WeChat)")
    ship_to: dict[str, StorableText] | None = Field(default=None, description="the address for lines to ship")
    member_id: uuid.UUID | None = None
    coupon: StorableText | None = Field(default=None, max_length=64)
    points: int = Field(default=0, ge=0, le=10_000_000)
    pay_with: Literal["wechatpay", "alipay"] = Field(default="wechatpay", description="the gateway the buyer pays by")


class SaleOrder(BaseModel):
    mode: str
    order_id: str
    external_id: str
    state: str | None = None
    shipment_id: str | None = None
    pickup_code: str | None = None
    nodes: list[str] | None = Field(default=None, description="where routing sent the order once paid")
    refund: str | None = Field(default=None, description="the out_refund_no of the refund that took this order")


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    orders: list[str] | None = Field(default=None, min_length=1, max_length=3,
                                     description="the sale's orders to refund; none: the whole sale")
    reason: StorableText = Field(default="refund", min_length=1, max_length=80)


class RefundOut(BaseModel):
    out_refund_no: str
    orders: list[str]
    amount: int = Field(description="minor units given back to the payer")
    points: int = Field(description="points the checkout spent, given back to the member")
    coupon: str | None = Field(description="the coupon issued to the member again (the whole sale refunded)")
    reason: str
    state: str = Field(description="requested | processing | succeeded | abnormal | closed | failed | unanswered "
                                   "(asked, no answer: asked again under the same out_refund_no)")
    refund_id: str | None = None


class SaleOut(BaseModel):
    id: str
    location: str
    state: str
    currency: str
    subtotal: int
    discount: int
    points_spent: int
    total: int
    orders: list[SaleOrder]
    payment: dict[str, Any]
    refunds: list[RefundOut] = Field(default_factory=list)
    created_at: datetime
    paid_at: datetime | None


class PickupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=12)


class PickupOut(Result, BaseModel):
    order_id: str
    state: str


class BalancingOut(BaseModel):
    suggestions: list[dict[str, Any]] = Field(description="{sku, from, to, quantity}: transfers to or from the store")


class BalancedOut(BaseModel):
    transfers: list[dict[str, Any]] = Field(description="{id, from, to, units}: the transfers made")


class ShipTaskOut(BaseModel):
    order_id: str
    external_id: str
    channel: str
    status: str
    city: str | None
    created_at: datetime
    lines: list[dict[str, Any]] = Field(description="{sku, quantity}: the units the store holds for the order")


class ShipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waybill_number: StorableText = Field(min_length=1, max_length=64)


class ShippedOut(Result, BaseModel):
    order_id: str
    shipment_id: str
    order_status: str

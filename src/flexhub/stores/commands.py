"""Stores commands."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command

MODES = ("take", "pickup", "ship")  # take it now, pick it up later, ship it from the network


@dataclass(frozen=True, kw_only=True)
class SetShelfPrice(Command):
    sku: str
    amount: int
    currency: str


@dataclass(frozen=True, kw_only=True)
class SetWechatPay(Command):
    mchid: str
    appid: str
    serial_no: str
    private_key_pem: str
    api_v3_key: str
    platform_certificates: dict[str, str]
    base_url: str
    allow_private: bool = False


@dataclass(frozen=True, kw_only=True)
class SaleLine:
    sku: str
    quantity: int
    mode: str  # MODES


@dataclass(frozen=True, kw_only=True)
class CheckOut(Command):
    """A store sale: lines each taken now, picked up later or shipped; one payment for all of them."""

    location: str
    lines: list[SaleLine]
    buyer: dict[str, Any]  # name, phone, openid
    ship_to: dict[str, Any] | None = None
    member_id: str | None = None
    coupon: str | None = None
    points: int = 0
    payer_ip: str = "127.0.0.1"
    notify_url: str = ""


@dataclass(frozen=True, kw_only=True)
class TakePayment(Command):
    """A WeChat Pay notification as it arrived: verified, decrypted, then applied once."""

    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


@dataclass(frozen=True, kw_only=True)
class CollectAtStore(Command):
    """The buyer shows a pick-up code at the store: the order put aside for it is handed over."""

    location: str
    code: str


@dataclass(frozen=True, kw_only=True)
class ShipFromStore(Command):
    """A parcel routed to ship from the store made, picked, packed and handed to the courier under its waybill."""

    location: str
    order_id: str
    waybill_number: str


@dataclass(frozen=True, kw_only=True)
class SetAlipay(Command):
    """The tenant's Alipay app: its id, its RSA2 private key, Alipay's public key, the gateway."""

    app_id: str
    private_key_pem: str
    alipay_public_key_pem: str
    gateway: str
    allow_private: bool = False


@dataclass(frozen=True, kw_only=True)
class TakeAlipayPayment(Command):
    """Alipay's payment notification as it arrived (its form): verified, then applied once."""

    form: dict[str, str] = field(default_factory=dict)

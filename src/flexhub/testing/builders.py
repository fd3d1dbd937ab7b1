"""Builders with readable defaults: a tenant and its admin, SKUs, locations, stock, channels, orders."""

import base64
import hashlib
from typing import Any

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateBundle, CreateSku, SkuCreated
from flexhub.channels.commands import CreateChannel
from flexhub.identity.commands import CreatePartner, CreateTenant, CreateUser, UserCreated
from flexhub.inventory.commands import (
    AdjustStock,
    CountStock,
    CreateLocation,
    CreateTransfer,
    LevelFigures,
    ReceiveTransfer,
    SafetyStockSet,
    SetSafetyStock,
    TransferLineSpec,
    TransferState,
)
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import CancelOrder, ImportOrder, OrderCancellation
from flexhub.ordering.intake import Imported
from flexhub.ordering.schemas import OrderIn


def create_tenant(hub: Hub, code: str = "acme", name: str = "Acme Apparel") -> Actor:
    """A tenant and an admin actor acting for it."""
    tenant = hub.handle(CreateTenant(code=code, name=name))
    return Actor(tenant_id=tenant.id, role="admin", name=f"test-admin@{code}")


def create_partner(hub: Hub, admin: Actor, code: str = "reseller-1", kind: str = "reseller") -> Actor:
    partner = hub.handle(CreatePartner(actor=admin, code=code, kind=kind))
    return Actor(tenant_id=admin.tenant_id, partner_id=partner.id, role="partner", name=f"test-{code}")


PASSWORD = "correct horse battery"  # what create_user gives every user unless told


def create_user(hub: Hub, admin: Actor, login: str = "li.na@brand.example", role: str = "operator",
                password: str = PASSWORD, **fields: Any) -> UserCreated:
    return hub.handle(CreateUser(actor=admin, login=login, role=role, password=password, **fields))


def create_sku(hub: Hub, admin: Actor, code: str = "TEE-RED-M", **fields: Any) -> SkuCreated:
    return hub.handle(CreateSku(actor=admin, code=code, name=fields.pop("name", code), **fields))


def create_bundle(hub: Hub, admin: Actor, code: str, components: dict[str, int]) -> SkuCreated:
    return hub.handle(CreateBundle(actor=admin, code=code, name=code, components=components))


def create_location(hub: Hub, admin: Actor, code: str = "WH-CENTRAL", kind: str = "central", **fields: Any):
    return hub.handle(CreateLocation(actor=admin, code=code, kind=kind, **fields))


def receive(hub: Hub, admin: Actor, sku: str, location: str, quantity: int, pool: str = "spot") -> LevelFigures:
    return hub.handle(AdjustStock(actor=admin, sku=sku, location=location, quantity_delta=quantity,
                                  reason="receive", kind="receive", pool=pool))


def adjust(hub: Hub, admin: Actor, sku: str, location: str, delta: int, pool: str = "spot",
           reason: str = "correction") -> LevelFigures:
    return hub.handle(AdjustStock(actor=admin, sku=sku, location=location, quantity_delta=delta,
                                  reason=reason, pool=pool))


def count(hub: Hub, admin: Actor, sku: str, location: str, counted: int, pool: str = "spot") -> LevelFigures:
    return hub.handle(CountStock(actor=admin, sku=sku, location=location, counted=counted, pool=pool))


def set_safety_stock(hub: Hub, admin: Actor, sku: str, location: str, quantity: int,
                     pool: str = "spot") -> SafetyStockSet:
    return hub.handle(SetSafetyStock(actor=admin, sku=sku, location=location, quantity=quantity, pool=pool))


def transfer(hub: Hub, admin: Actor, source: str, target: str, quantities: dict[str, int],
             pool: str = "spot") -> str:
    """Send stock between locations; returns the transfer id (as text, the way ReceiveTransfer takes it)."""
    lines = [TransferLineSpec(sku=sku, quantity=quantity, pool=pool) for sku, quantity in quantities.items()]
    created = hub.handle(CreateTransfer(actor=admin, from_location=source, to_location=target, lines=lines))
    return str(created.id)


def receive_transfer(hub: Hub, admin: Actor, transfer_id: str) -> TransferState:
    return hub.handle(ReceiveTransfer(actor=admin, transfer_id=transfer_id))


def create_channel(hub: Hub, admin: Actor, code: str = "web", platform: str = "generic", **fields: Any):
    return hub.handle(CreateChannel(actor=admin, code=code, platform=platform, **fields))


def create_shop(hub: Hub, code: str = "acme", stock: int = 10, sku: str = "TEE-RED-M",
                location: str = "WH-CENTRAL", channel: str = "web") -> Actor:
    """A tenant selling one SKU from one warehouse through one channel (`order_body`'s defaults)."""
    admin = create_tenant(hub, code)
    create_sku(hub, admin, sku)
    create_location(hub, admin, location)
    create_channel(hub, admin, channel)
    if stock:
        receive(hub, admin, sku, location, stock)
    return admin


def line(sku: str = "TEE-RED-M", quantity: int = 1, unit_price: int = 9900, **fields: Any) -> dict[str, Any]:
    """One order line of an import body."""
    return {"sku": sku, "quantity": quantity, "unit_price": unit_price, **fields}


def order_body(external_id: str = "A-1001", lines: list[dict] | None = None, **fields: Any) -> dict[str, Any]:
    """The issue's minimal import body, with any field overridden."""
    body = {
        "channel": "web",
        "external_id": external_id,
        "currency": "CNY",
        "buyer": {"name": "张三", "phone": "13800000000"},
        "shipping_address": {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区",
                             "line1": "文三路 90 号", "postal_code": "310000"},
        "lines": lines or [{"sku": "TEE-RED-M", "quantity": 2, "unit_price": 9900}],
    }
    body.update(fields)
    return body


def import_command(actor: Actor, **fields: Any) -> ImportOrder:
    return ImportOrder(actor=actor, order=OrderIn.model_validate(order_body(**fields)))


def import_order(hub: Hub, actor: Actor, **fields: Any) -> Imported:
    return hub.handle(import_command(actor, **fields))


def cancel_order(hub: Hub, actor: Actor, order_id: Any, reason: str = "buyer changed their mind") -> OrderCancellation:
    return hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason=reason))


def scrypt_hash(password: str, n: int = 2**14) -> str:
    """A hash as flexhub stored them before Argon2id."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${n}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"

"""Builders with readable defaults: a tenant and its admin, SKUs, locations, stock, channels, orders."""

from typing import Any

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateBundle, CreateSku
from flexhub.channels.commands import CreateChannel
from flexhub.identity.commands import CreatePartner, CreateTenant
from flexhub.inventory.commands import AdjustStock, CreateLocation
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.schemas import OrderIn


def create_tenant(hub: Hub, code: str = "acme", name: str = "Acme Apparel") -> Actor:
    """A tenant and an admin actor acting for it."""
    tenant = hub.handle(CreateTenant(code=code, name=name))
    return Actor(tenant_id=tenant["id"], role="admin", name=f"test-admin@{code}")


def create_partner(hub: Hub, admin: Actor, code: str = "reseller-1", kind: str = "reseller") -> Actor:
    partner = hub.handle(CreatePartner(actor=admin, code=code, kind=kind))
    return Actor(tenant_id=admin.tenant_id, partner_id=partner["id"], role="partner", name=f"test-{code}")


def create_sku(hub: Hub, admin: Actor, code: str = "TEE-RED-M", **fields: Any) -> dict[str, Any]:
    return hub.handle(CreateSku(actor=admin, code=code, name=fields.pop("name", code), **fields))


def create_bundle(hub: Hub, admin: Actor, code: str, components: dict[str, int]) -> dict[str, Any]:
    return hub.handle(CreateBundle(actor=admin, code=code, name=code, components=components))


def create_location(hub: Hub, admin: Actor, code: str = "WH-CENTRAL", kind: str = "central", **fields: Any):
    return hub.handle(CreateLocation(actor=admin, code=code, kind=kind, **fields))


def receive(hub: Hub, admin: Actor, sku: str, location: str, quantity: int, pool: str = "spot") -> dict:
    return hub.handle(AdjustStock(actor=admin, sku=sku, location=location, quantity_delta=quantity,
                                  reason="receive", kind="receive", pool=pool))


def create_channel(hub: Hub, admin: Actor, code: str = "web", platform: str = "generic", **fields: Any):
    return hub.handle(CreateChannel(actor=admin, code=code, platform=platform, **fields))


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


def import_order(hub: Hub, actor: Actor, **fields: Any):
    return hub.handle(ImportOrder(actor=actor, order=OrderIn.model_validate(order_body(**fields))))

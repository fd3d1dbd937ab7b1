"""Fulfilment test helpers: a fake network (carrier and channel) for hub.http, a shop whose orders route to WH-HZ
with a ZTO account, routed orders, shipments taken through pick, pack and ship, and hub.http answered by a
sandbox SF Express."""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx2

from flexhub.bootstrap import Hub
from flexhub.fulfillment import commands as ful
from flexhub.fulfillment import queries as shipments
from flexhub.kernel.messages import Actor
from flexhub.ordering.queries import list_orders
from flexhub.routing.commands import RouteOrder
from flexhub.sandbox.stage import wait_until
from flexhub.testing.builders import (
    create_channel,
    create_location,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
)

SHOP = "https://shop.example"
ZTO = "https://japi-test.zto.com"
SF_SANDBOX = "http://sf.sandbox.test"
ZTO_ACCOUNT = {"app_key": "k", "app_secret": "s", "account_id": "a", "account_password": "p", "base_url": ZTO}


@dataclass
class Network:
    """Answers the carrier (ZTO waybills ZT7700000n) and the channel as told; keeps every request."""

    waybill_status: int = 200
    channel_status: int = 200
    requests: list[httpx2.Request] = field(default_factory=list)
    numbers: int = 0

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        if str(request.url).startswith(ZTO):
            self.numbers += 1
            body = {"status": True, "result": {"billCode": f"ZT7700{self.numbers:04d}", "orderCode": "o-1"}}
            return httpx2.Response(self.waybill_status, json=body)
        return httpx2.Response(self.channel_status, json={"ok": True})

    def channel_bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if str(r.url).startswith(SHOP)]


def shipping_shop(hub: Hub) -> Actor:
    """TEE-RED-M: 10 at WH-HZ (Hangzhou), 2 at store ST-HZ (pickup); sold through `web` (generic platform)."""
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M", weight_g=300)
    create_location(hub, admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市", priority=10)
    create_location(hub, admin, "ST-HZ", "store", country="CN", province="浙江省", city="杭州市", priority=30,
                    can_pickup=True)
    create_channel(hub, admin, "web", credentials={"base_url": SHOP, "webhook_secret": "s3cret"})
    receive(hub, admin, "TEE-RED-M", "WH-HZ", 10)
    receive(hub, admin, "TEE-RED-M", "ST-HZ", 2)
    hub.handle(ful.CreateCarrierAccount(actor=admin, carrier="zto", credentials=ZTO_ACCOUNT))
    return admin


def routed_order(hub: Hub, admin: Actor, quantity: int = 3, external_id: str = "A-1001", **fields: Any) -> Any:
    placed = import_order(hub, admin, external_id=external_id, lines=[line(quantity=quantity)], **fields)
    assert hub.handle(RouteOrder(actor=admin, order_id=str(placed.order_id))).outcome == "routed"
    return placed.order_id


def create_shipment(hub: Hub, admin: Actor, order_id: Any, lines: dict | None = None,
                    carrier: str | None = "zto") -> str:
    """A shipment with its waybill issued (as the API does, outside the transaction)."""
    created = hub.handle(ful.CreateShipment(actor=admin, order_id=str(order_id), lines=lines, carrier=carrier))
    if carrier:
        assert hub.waybills.issue(admin.tenant_id, created.id)
    return str(created.id)


def pick_pack_ship(hub: Hub, admin: Actor, shipment_id: str) -> ful.ShippedShipment:
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment_id))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=shipment_id))
    return hub.handle(ful.ShipShipment(actor=admin, shipment_id=shipment_id))


@dataclass
class SfNetwork:
    """hub.http answered by a sandbox SF Express (its gateway at SF_SANDBOX) and, for anything else, `rest`."""

    sf: Any  # flexhub.sandbox.carrier.SfSandbox
    rest: Any = None

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if str(request.url).startswith(SF_SANDBOX):
            form = {k: v[0] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()}
            return httpx2.Response(200, json=self.sf.serve(form))
        return self.rest(request) if self.rest else httpx2.Response(404, json={"error": "not here"})


def stock_shop_over_api(api: Any) -> None:
    """Over HTTP (a flexhub.testing.api_client.Api): TEE-RED-M, 5 at WH-HZ (Hangzhou), sold through `web`."""
    api.post("/api/v1/catalog/skus", {"code": "TEE-RED-M", "name": "Tee"})
    api.post("/api/v1/inventory/locations", {"code": "WH-HZ", "kind": "regional", "country": "CN",
                                             "province": "浙江省", "city": "杭州市"})
    api.post("/api/v1/inventory/adjustments", {"sku": "TEE-RED-M", "location": "WH-HZ", "quantity_delta": 5,
                                               "reason": "in"})
    api.post("/api/v1/channels", {"code": "web", "platform": "generic",
                                  "credentials": {"base_url": SHOP, "webhook_secret": "x"}})


def ship_when_routed(hub: Hub, admin: Actor, channel: str, external_id: str) -> str:
    """Wait until the channel's order is routed, then ship it with SF Express (its waybill issued as the API does)
    and hand it over; the waybill number."""
    def routed() -> dict[str, Any] | None:
        with hub.uow(write=False) as uow:
            found = list_orders(uow.connection, admin.tenant_id, channel=channel, external_id=external_id)
        return found[0] if found and found[0]["status"] == "routed" else None

    order = wait_until(routed)
    created = hub.handle(ful.CreateShipment(actor=admin, order_id=order["id"], carrier="sf_express"))

    def view() -> dict[str, Any]:
        with hub.uow(write=False) as uow:
            return shipments.shipment_view(uow.connection, admin.tenant_id, uuid.UUID(str(created.id)))

    if not hub.waybills.issue(admin.tenant_id, created.id):  # the waybills job took it first: wait for its answer
        wait_until(lambda: view()["waybill_number"], timeout_s=30)
    pick_pack_ship(hub, admin, str(created.id))
    return str(view()["waybill_number"])

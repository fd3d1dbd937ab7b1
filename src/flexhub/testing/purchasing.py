"""Builders for purchasing tests: suppliers with keys, their terms, orders sent and confirmed; and a snapshot of
the purchasing rows, to assert with `snapshots.snapshot` that a refused request changed nothing."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.catalog.commands import CreateSku
from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.kernel.messages import Actor
from flexhub.notifications.model import WebhookDelivery, WebhookEndpoint
from flexhub.purchasing.commands import (
    ActOnOrder,
    AnnounceShipment,
    CreatePurchaseOrder,
    OrderLineSpec,
    ReceiveAsn,
    SetSupplierSku,
)
from flexhub.purchasing.model import Asn, AsnLine, Discrepancy, PurchaseOrder, PurchaseOrderLine, SupplierSku
from flexhub.purchasing.schemas import AsnOut, OrderOut, ReceiptOut, SupplierSkuOut
from flexhub.testing import builders
from flexhub.testing.api_client import ADJUSTMENTS, LOCATIONS, SKUS, Api

PURCHASING = "/api/v1/purchasing"
ORDERS = f"{PURCHASING}/orders"


@dataclass(frozen=True)
class Supplier:
    code: str
    token: str

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_supplier(api: Api, code: str = "mill-1", kind: str = "supplier") -> Supplier:
    """A partner of the API's tenant with its own partner key."""
    admin = api.tenant.admin
    api.hub.handle(CreatePartner(actor=admin, code=code, kind=kind))
    created = api.hub.handle(CreateApiKey(actor=admin, role="partner", name=f"{code}-key", partner=code))
    return Supplier(code, created.token)


def stock_for_purchasing(api: Api, skus: tuple[str, ...] = ("TEE-RED-M",), location: str = "WH-CENTRAL",
                         on_hand: int = 0) -> None:
    for sku in skus:
        api.post(SKUS, {"code": sku, "name": sku})
    api.post(LOCATIONS, {"code": location, "kind": "central"})
    for sku in skus if on_hand else ():
        api.post(ADJUSTMENTS, {"sku": sku, "location": location, "quantity_delta": on_hand, "reason": "opening"})


def set_terms(api: Api, supplier: str, sku: str, *, lead_time_days: int = 10, unit_cost: int = 2500,
              currency: str = "CNY", **terms: Any) -> dict[str, Any]:
    return api.client.put(f"{PURCHASING}/suppliers/{supplier}/skus/{sku}", headers=api.headers(), json={
        "lead_time_days": lead_time_days, "unit_cost": unit_cost, "currency": currency, **terms}).json()


def order_body(supplier: str, lines: dict[str, int], location: str = "WH-CENTRAL", **fields: Any) -> dict:
    return {"supplier": supplier, "location": location,
            "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines.items()], **fields}


def sent_order(api: Api, supplier: str, lines: dict[str, int], **fields: Any) -> dict[str, Any]:
    """An order placed and sent to `supplier` (which has terms for its SKUs)."""
    created = api.post(ORDERS, order_body(supplier, lines, **fields))
    return api.post(f"{ORDERS}/{created['id']}/send", {}, status=200)


def confirmed_order(api: Api, supplier: Supplier, lines: dict[str, int], **fields: Any) -> dict[str, Any]:
    order = sent_order(api, supplier.code, lines, **fields)
    response = api.client.post(f"{ORDERS}/{order['id']}/confirm", headers=supplier.headers())
    assert response.status_code == 200, response.text
    return response.json()


def announce(api: Api, supplier: Supplier, order_id: str, lines: dict[str, int], **fields: Any) -> dict[str, Any]:
    body = {"expected_on": "2030-01-10", "carrier": "sf", "tracking_number": "SF1234567890",
            "lines": [{"sku": s, "quantity": q} for s, q in lines.items()], **fields}
    response = api.client.post(f"{ORDERS}/{order_id}/asns", json=body, headers=supplier.headers())
    assert response.status_code == 201, response.text
    return response.json()


def purchasing_rows(hub: Hub) -> tuple[tuple, ...]:
    """Every purchasing and webhook row a write could touch, comparable."""
    tables = ((PurchaseOrder, ("id", "state", "version", "expected_on", "proposed_on")),
              (PurchaseOrderLine, ("id", "quantity", "proposed_quantity", "announced", "received")),
              (Asn, ("id", "state")), (AsnLine, ("id", "quantity", "received")),
              (Discrepancy, ("id", "state", "resolution")), (SupplierSku, ("id", "lead_time_days", "unit_cost")),
              (WebhookEndpoint, ("id", "active")), (WebhookDelivery, ("id", "state", "attempts")))
    with hub.uow(write=False) as uow:
        return tuple(tuple(sorted(tuple(map(str, row)) for row in uow.connection.execute(
            select(*(getattr(table, c) for c in columns))))) for table, columns in tables)


# The handler-level helpers answer what the handler's typed result holds, as a plain dict (what the API answers).


def supplier_terms(hub: Hub, admin: Actor, supplier: str, sku: str, **terms: Any) -> dict[str, Any]:
    """Handler-level: `supplier` supplies `sku` (lead 10 days, 25.00 CNY unless told)."""
    values = {"lead_time_days": 10, "currency": "CNY", "unit_cost": 2500, **terms}
    terms_set: SupplierSkuOut = hub.handle(SetSupplierSku(actor=admin, supplier=supplier, sku=sku, **values))
    return terms_set.model_dump()


def place(hub: Hub, admin: Actor, supplier: str, lines: dict[str, int], location: str = "WH-CENTRAL",
          **fields: Any) -> dict[str, Any]:
    specs = [OrderLineSpec(sku=sku, quantity=quantity) for sku, quantity in lines.items()]
    placed: OrderOut = hub.handle(CreatePurchaseOrder(actor=admin, supplier=supplier, location=location, lines=specs,
                                                      **fields))
    return placed.model_dump()


def act(hub: Hub, actor: Actor, order_id: str, action: str) -> dict[str, Any]:
    acted: OrderOut = hub.handle(ActOnOrder(actor=actor, order_id=order_id, action=action))
    return acted.model_dump()


def ship(hub: Hub, supplier: Actor, order_id: str, lines: dict[str, int]) -> dict[str, Any]:
    notice: AsnOut = hub.handle(AnnounceShipment(actor=supplier, order_id=order_id, expected_on=date(2030, 1, 10),
                                                 lines=lines, carrier="sf", tracking_number="SF1"))
    return notice.model_dump()


def receive_notice(hub: Hub, admin: Actor, asn_id: str, counted: dict[str, int] | None = None) -> dict[str, Any]:
    receipt: ReceiptOut = hub.handle(ReceiveAsn(actor=admin, asn_id=asn_id, counted=counted))
    return receipt.model_dump()


def selling_shop(api: Api, clock: Any) -> None:
    """Eight weeks of 3 tees and 2 caps a day from WH-CENTRAL, 10 tees and 4 caps left; mill-1, a supplier.

    The tee's own attributes say 3 days and packs of 6, for supplier terms to override."""
    admin = api.tenant.admin
    api.hub.handle(CreateSku(actor=admin, code="TEE-RED-M", name="Tee",
                             attributes={"lead_time_days": 3, "pack": 6, "unit_cost": 2500}))
    builders.create_sku(api.hub, admin, "CAP-BLK")
    builders.create_location(api.hub, admin, "WH-CENTRAL", priority=10)
    builders.create_channel(api.hub, admin)
    builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 3 * 56 + 10)
    builders.receive(api.hub, admin, "CAP-BLK", "WH-CENTRAL", 2 * 56 + 4)
    for day in range(56):
        builders.import_order(api.hub, admin, external_id=f"D-{day}",
                              lines=[builders.line(quantity=3), builders.line("CAP-BLK", quantity=2)])
        clock.advance(days=1)
    add_supplier(api, "mill-1")

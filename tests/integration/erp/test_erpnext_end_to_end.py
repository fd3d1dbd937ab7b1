"""ERPNext end to end against its sandbox, on SQLite and PostgreSQL: a channel order becomes one Sales Order (an
answer lost after ERPNext made it creates nothing twice), its shipment one Delivery Note against it, its return
one Sales Invoice return; an ERPNext purchase order becomes one hub purchase order whose receipt goes back as one
Purchase Receipt; an item's cost changed in ERPNext reaches the catalog; a refused document is parked with its
reason."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from flexhub.bootstrap import Hub, bootstrap
from flexhub.catalog.model import Sku
from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, SyncConnection
from flexhub.fulfillment import commands as ful
from flexhub.identity import partner_by_code
from flexhub.kernel.messages import Actor
from flexhub.returns import commands as ret
from flexhub.sandbox.erp.erpnext import ErpNextSandbox
from flexhub.settings import Settings
from flexhub.testing.erp import ERPNEXT_LOGIN, ERPNEXT_URL, behind_sandbox, documents, publish
from flexhub.testing.fulfillment import routed_order, shipping_shop
from flexhub.testing.purchasing import act, receive_notice, ship


@dataclass
class NextShop:
    hub: Hub
    admin: Actor
    erp: ErpNextSandbox


@pytest.fixture
def shop(database_url: str) -> Iterator[NextShop]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        erp = behind_sandbox(hub, ErpNextSandbox())
        erp.add("Item", {"item_code": "TEE-RED-M", "item_name": "Tee, red, M", "valuation_rate": 25.0})
        hub.handle(CreateConnection(actor=admin, code="next", kind="erpnext", url=ERPNEXT_URL,
                                    credentials=ERPNEXT_LOGIN, settings={"receiving_location": "WH-HZ"}))
        yield NextShop(hub, admin, erp)
    finally:
        hub.close()



def posts(shop: NextShop, doctype: str) -> int:
    return sum(1 for c in shop.erp.calls if c["doctype"] == doctype and c["method"] == "POST")


def test_an_order_its_shipment_and_its_return_reach_erpnext_once_each(shop: NextShop) -> None:
    shop.erp.fail_next("lost_answer", doctype="Sales Order", method="POST")
    order_id = routed_order(shop.hub, shop.admin, quantity=3)
    publish(shop)  # ERPNext made it; the hub heard a timeout

    (waiting,) = documents(shop.hub)
    assert waiting.state == "pending" and waiting.last_error.startswith("timeout: ")
    assert shop.hub.erp_sender.send_now(waiting.id) is True
    (sales_order,) = shop.erp.records("Sales Order")
    assert (sales_order["po_no"], sales_order["customer"]) == (f"flexhub:{order_id}", "Channel web")
    assert [(i["item_code"], i["qty"], i["rate"]) for i in sales_order["items"]] == [("TEE-RED-M", 3.0, 99.0)]

    shipment = shop.hub.handle(ful.CreateShipment(actor=shop.admin, order_id=str(order_id), carrier=None))
    for step in (ful.ConfirmPick, ful.PackShipment):
        shop.hub.handle(step(actor=shop.admin, shipment_id=str(shipment.id)))
    shop.hub.handle(ful.ShipShipment(actor=shop.admin, shipment_id=str(shipment.id), waybill_number="ZT100"))
    rma = shop.hub.handle(ret.CreateReturn(actor=shop.admin, order_id=str(order_id), lines={"TEE-RED-M": 1}))
    shop.hub.handle(ret.ReceiveReturn(actor=shop.admin, return_id=str(rma.id), node="WH-HZ"))
    shop.hub.handle(ret.InspectReturn(actor=shop.admin, return_id=str(rma.id), grades={"TEE-RED-M": {"scrap": 1}}))
    publish(shop)
    shop.hub.handle(SyncConnection(actor=shop.admin, code="next"))

    (delivery,) = shop.erp.records("Delivery Note")
    (credit,) = shop.erp.records("Sales Invoice")
    assert delivery["po_no"] == f"flexhub:{shipment.id}"
    assert [(i["qty"], i["against_sales_order"]) for i in delivery["items"]] == [(3.0, sales_order["name"])]
    assert (credit["po_no"], credit["is_return"], credit["customer"]) == (f"flexhub:{rma.id}", 1, "Channel web")
    assert [(i["qty"], i["rate"]) for i in credit["items"]] == [(-1.0, 99.0)]
    assert [posts(shop, d) for d in ("Sales Order", "Delivery Note", "Sales Invoice", "Customer")] == [1, 1, 1, 1]


def test_a_purchase_order_comes_in_once_and_its_receipt_goes_back(shop: NextShop) -> None:
    shop.erp.add("Supplier", {"supplier_name": "Mill One"})
    shop.erp.add("Purchase Order", {"supplier": "Mill One", "supplier_name": "Mill One", "docstatus": 1,
                                    "schedule_date": "2030-01-10", "currency": "CNY",
                                    "items": [{"item_code": "TEE-RED-M", "qty": 60, "rate": 21.5}]})
    shop.erp.add("Purchase Order", {"supplier": "Mill One", "schedule_date": "2030-01-10", "docstatus": 0,
                                    "items": [{"item_code": "TEE-RED-M", "qty": 1, "rate": 1}]})  # a draft: not read

    first = shop.hub.handle(SyncConnection(actor=shop.admin, code="next"))
    again = shop.hub.handle(SyncConnection(actor=shop.admin, code="next"))

    assert (first.read, again.read) == ({"products": 1, "suppliers": 1, "purchase_orders": 1},
                                        {"products": 0, "suppliers": 0, "purchase_orders": 0})
    with shop.hub.uow(write=False) as uow:
        (hub_order,) = [m["hub_code"] for m in queries.mappings(uow.connection, shop.admin.tenant_id, "next")
                        if m["kind"] == "purchase_order"]
        mill = partner_by_code(uow.connection, shop.admin.tenant_id, "Mill One")
    supplier = Actor(tenant_id=shop.admin.tenant_id, role="partner", name="mill", partner_id=mill.id)
    act(shop.hub, shop.admin, hub_order, "send")
    act(shop.hub, supplier, hub_order, "confirm")
    notice = ship(shop.hub, supplier, hub_order, {"TEE-RED-M": 60})
    receive_notice(shop.hub, shop.admin, notice["id"])
    publish(shop)

    (receipt,) = shop.erp.records("Purchase Receipt")
    (erp_order,) = [o for o in shop.erp.records("Purchase Order") if o["docstatus"] == 1]
    assert (receipt["supplier"], receipt["supplier_delivery_note"]) == ("Mill One", f"flexhub:{notice['id']}")
    assert [(i["item_code"], i["qty"], i["purchase_order"]) for i in receipt["items"]] == \
        [("TEE-RED-M", 60.0, erp_order["name"])]


def test_an_items_cost_changed_in_erpnext_reaches_the_catalog(shop: NextShop) -> None:
    shop.hub.handle(SyncConnection(actor=shop.admin, code="next"))
    shop.erp.tick(30)
    shop.erp.change("Item", "TEE-RED-M", {"valuation_rate": 26.4, "item_name": "Tee, red, medium"})

    synced = shop.hub.handle(SyncConnection(actor=shop.admin, code="next"))

    assert synced.read["products"] == 1
    with shop.hub.uow(write=False) as uow:
        sku = uow.connection.execute(select(Sku).where(Sku.code == "TEE-RED-M")).one()
    assert (sku.name, sku.attributes["standard_cost"]) == ("Tee, red, medium", 2640)


def test_a_refused_sales_order_is_parked_with_erpnexts_reason(shop: NextShop) -> None:
    shop.erp.fail_next("validation", doctype="Sales Order", method="POST")
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (parked,) = documents(shop.hub)
    assert (parked.state, parked.last_error) == ("dead", "validation error: Sandbox refused the document")
    assert shop.erp.records("Sales Order") == []

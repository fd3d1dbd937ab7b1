"""Products, suppliers and purchase orders in from a sandbox Odoo, on SQLite and PostgreSQL: read from a cursor kept
between syncs and applied once; the ERP's product master and costs taken, a field the hub owns kept with the ERP's
value shown as a conflict; a purchase order becomes one hub purchase order whose receipt goes back to Odoo as one
incoming transfer; what cannot be placed waits in the unmapped queue until mapped."""

import uuid
from datetime import date

from sqlalchemy import select

from flexhub.catalog.model import Sku
from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, MapRecord, SyncConnection
from flexhub.identity import partner_by_code
from flexhub.kernel.messages import Actor
from flexhub.purchasing.queries import order_view
from flexhub.testing.erp import ODOO_LOGIN, ODOO_URL, documents
from flexhub.testing.purchasing import act, receive_notice, ship
from flexhub.testing.snapshots import audit

from .conftest import OdooShop


def sync(shop: OdooShop, code: str = "odoo"):  # type: ignore[no-untyped-def]
    return shop.hub.handle(SyncConnection(actor=shop.admin, code=code))


def skus(shop: OdooShop) -> dict[str, tuple]:
    with shop.hub.uow(write=False) as uow:
        rows = uow.connection.execute(select(Sku).where(Sku.tenant_id == shop.admin.tenant_id))
        return {r.code: (r.name, r.barcode, r.attributes.get("standard_cost")) for r in rows}


def mappings(shop: OdooShop, code: str = "odoo") -> list[tuple]:
    with shop.hub.uow(write=False) as uow:
        found = queries.mappings(uow.connection, shop.admin.tenant_id, code)
    return [(m["kind"], m["hub_code"], m["erp_ref"]) for m in found]


def test_products_come_in_once_from_a_cursor_and_a_change_in_odoo_reaches_the_catalog(shop: OdooShop) -> None:
    cap = shop.odoo.add("product.product", {"name": "Cap, blue", "default_code": "CAP-BLU", "barcode": "6901",
                                            "standard_price": 12.5})
    nameless = shop.odoo.add("product.product", {"name": "Sample, no code", "standard_price": 1.0})

    first = sync(shop)

    assert first.read["products"] == 3 and first.errors == []
    assert skus(shop) == {"TEE-RED-M": ("Tee, red, M", None, 2500), "CAP-BLU": ("Cap, blue", "6901", 1250)}
    assert ("sku", None, str(nameless)) in mappings(shop)  # the unmapped queue: a product without a code
    assert ("sku", "CAP-BLU", str(cap)) in mappings(shop)
    audited = len(audit(shop.hub))

    again = sync(shop)

    assert again.read["products"] == 0  # the cursor kept: nothing changed since
    assert len(audit(shop.hub)) == audited
    shop.odoo.tick(60)
    shop.odoo.change("product.product", cap, {"name": "Cap, navy", "standard_price": 13.0})

    changed = sync(shop)

    assert changed.read["products"] == 1
    assert skus(shop)["CAP-BLU"] == ("Cap, navy", "6901", 1300)


def test_a_field_the_hub_owns_keeps_its_value_and_the_erps_is_shown_as_a_conflict(shop: OdooShop) -> None:
    shop.hub.handle(CreateConnection(actor=shop.admin, code="odoo-hub-names", kind="odoo", url=ODOO_URL,
                                     credentials=ODOO_LOGIN, settings={"ownership": {"product": {"name": "hub"}}}))
    shop.odoo.change("product.product", shop.product_id, {"name": "T-shirt rouge M"})

    sync(shop, "odoo-hub-names")

    assert skus(shop)["TEE-RED-M"][0] == "TEE-RED-M"  # the hub's own name, as the shop made it
    assert skus(shop)["TEE-RED-M"][2] == 2500  # the cost, which the ERP owns, taken
    with shop.hub.uow(write=False) as uow:
        (conflict,) = queries.conflicts(uow.connection, shop.admin.tenant_id, "odoo-hub-names")
    assert (conflict["key"], conflict["field"], conflict["hub_value"], conflict["erp_value"]) == \
        ("TEE-RED-M", "name", "TEE-RED-M", "T-shirt rouge M")


def erp_purchase_order(shop: OdooShop, product: int, quantity: int = 60) -> int:
    mill = shop.odoo.add("res.partner", {"name": "Mill One", "ref": "MILL-1", "supplier_rank": 1})
    line = {"product_id": product, "product_qty": float(quantity), "price_unit": 21.5,
            "date_planned": "2030-01-10 08:00:00"}
    return shop.odoo.add("purchase.order", {"name": "P00021", "partner_id": mill, "currency_id": 1,
                                            "date_planned": "2030-01-10 08:00:00", "state": "purchase",
                                            "order_line": [[0, 0, line]]})


def receiving_at_hangzhou(shop: OdooShop) -> None:
    shop.hub.handle(CreateConnection(actor=shop.admin, code="odoo-po", kind="odoo", url=ODOO_URL,
                                     credentials=ODOO_LOGIN, settings={"receiving_location": "WH-HZ"}))


def test_a_purchase_order_comes_in_once_and_its_receipt_goes_back_as_one_transfer(shop: OdooShop) -> None:
    receiving_at_hangzhou(shop)
    erp_order = erp_purchase_order(shop, shop.product_id)

    sync(shop, "odoo-po")
    sync(shop, "odoo-po")
    shop.odoo.tick(5)
    shop.odoo.change("purchase.order", erp_order, {"state": "purchase"})  # written again: read again, not re-made
    sync(shop, "odoo-po")

    (hub_order,) = [h for k, h, e in mappings(shop, "odoo-po") if k == "purchase_order"]
    with shop.hub.uow(write=False) as uow:
        order = order_view(uow.connection, shop.admin.tenant_id, uuid.UUID(hub_order))
    assert (order["supplier"], order["location"], order["currency"], order["reference"]) == \
        ("MILL-1", "WH-HZ", "CNY", "P00021")
    assert order["expected_on"] == date(2030, 1, 10)
    assert [(line["sku"], line["quantity"], line["unit_cost"]) for line in order["lines"]] == \
        [("TEE-RED-M", 60, 2150)]
    assert ("supplier", "MILL-1", str(shop.odoo.records("res.partner")[-1]["id"])) in mappings(shop, "odoo-po")

    with shop.hub.uow(write=False) as uow:
        mill = partner_by_code(uow.connection, shop.admin.tenant_id, "MILL-1")
    supplier = Actor(tenant_id=shop.admin.tenant_id, role="partner", name="mill-1", partner_id=mill.id)
    act(shop.hub, shop.admin, hub_order, "send")
    act(shop.hub, supplier, hub_order, "confirm")
    notice = ship(shop.hub, supplier, hub_order, {"TEE-RED-M": 60})
    receive_notice(shop.hub, shop.admin, notice["id"])
    shop.hub.relay.run_once()
    shop.hub.erp_sender.run_once()

    (receipt,) = [p for p in shop.odoo.records("stock.picking") if p.get("purchase_id")]
    (move,) = [m for m in shop.odoo.records("stock.move") if m["picking_id"] == receipt["id"]]
    assert (receipt["purchase_id"][0], receipt["picking_type_id"][0], receipt["origin"]) == \
        (erp_order, 1, f"flexhub:{notice['id']}")
    assert (move["product_id"][0], move["product_uom_qty"]) == (shop.product_id, 60)
    assert [d.kind for d in documents(shop.hub) if d.kind == "receipt"] == ["receipt"]  # for odoo-po alone


def test_a_purchase_order_of_an_unmapped_item_waits_until_the_item_is_mapped(shop: OdooShop) -> None:
    receiving_at_hangzhou(shop)
    stranger = shop.odoo.add("product.product", {"name": "Tee, old code"})
    erp_order = erp_purchase_order(shop, stranger, quantity=12)

    sync(shop, "odoo-po")

    assert ("purchase_order", None, str(erp_order)) in mappings(shop, "odoo-po")
    shop.hub.handle(MapRecord(actor=shop.admin, code="odoo-po", kind="sku", hub_code="TEE-RED-M",
                              erp_ref=str(stranger)))

    waited = sync(shop, "odoo-po")

    assert waited.read["purchase_orders"] == 1
    (hub_order,) = [h for k, h, e in mappings(shop, "odoo-po") if k == "purchase_order"]
    with shop.hub.uow(write=False) as uow:
        order = order_view(uow.connection, shop.admin.tenant_id, uuid.UUID(hub_order))
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [("TEE-RED-M", 12)]

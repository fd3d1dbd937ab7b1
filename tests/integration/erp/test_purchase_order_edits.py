"""Edits made in the ERP to a purchase order the hub already took in, on SQLite and PostgreSQL: Odoo's new
quantities and date reach hub purchasing and the presale stock the order backs (the connection marks its orders
presale); a cancellation cancels it and takes its presale back; a change purchasing refuses (below what is on its
way) or a field the connection gives to the hub is shown as a conflict, the hub's order left as it was."""

import uuid
from datetime import date

from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, SyncConnection
from flexhub.identity import partner_by_code
from flexhub.kernel.messages import Actor
from flexhub.purchasing.queries import order_view, presale_view
from flexhub.testing.erp import ODOO_LOGIN, ODOO_URL
from flexhub.testing.purchasing import act, ship
from flexhub.testing.snapshots import audit

from .conftest import OdooShop


def connect(shop: OdooShop, **settings: object) -> None:
    shop.hub.handle(CreateConnection(actor=shop.admin, code="odoo-po", kind="odoo", url=ODOO_URL,
                                     credentials=ODOO_LOGIN,
                                     settings={"receiving_location": "WH-HZ", "presale": True, **settings}))


def erp_order(shop: OdooShop, quantity: int = 60) -> tuple[int, int]:
    """An Odoo purchase order for the shop's product: its id and its line's id."""
    mill = shop.odoo.add("res.partner", {"name": "Mill One", "ref": "MILL-1", "supplier_rank": 1})
    order = shop.odoo.add("purchase.order", {
        "name": "P00031", "partner_id": mill, "currency_id": 1, "date_planned": "2030-01-10 08:00:00",
        "state": "purchase", "order_line": [[0, 0, {"product_id": shop.product_id, "product_qty": float(quantity),
                                                    "price_unit": 21.5}]]})
    return order, shop.odoo.models["purchase.order"][order]["order_line"][0]


def edit_in_odoo(shop: OdooShop, order: int, line: int, **values: object) -> None:
    """As Odoo's form saves it: the line, then the order (its write_date moves, so the poll reads it again)."""
    shop.odoo.tick(30)
    if "product_qty" in values:
        shop.odoo.change("purchase.order.line", line, {"product_qty": values.pop("product_qty")})
    shop.odoo.change("purchase.order", order, values)


def sync(shop: OdooShop) -> None:
    assert shop.hub.handle(SyncConnection(actor=shop.admin, code="odoo-po")).errors == []


def hub_order(shop: OdooShop) -> dict:
    with shop.hub.uow(write=False) as uow:
        (ref,) = [m["hub_code"] for m in queries.mappings(uow.connection, shop.admin.tenant_id, "odoo-po")
                  if m["kind"] == "purchase_order"]
        return order_view(uow.connection, shop.admin.tenant_id, uuid.UUID(ref))


def presale(shop: OdooShop) -> list[tuple]:
    with shop.hub.uow(write=False) as uow:
        rows = presale_view(uow.connection, shop.admin.tenant_id, "TEE-RED-M")
    return [(r["location"], r["expected"], [(x["promised_on"], x["units"]) for x in r["receipts"]]) for r in rows]


def conflicts(shop: OdooShop) -> list[tuple]:
    with shop.hub.uow(write=False) as uow:
        found = queries.conflicts(uow.connection, shop.admin.tenant_id, "odoo-po")
    return [(c["entity"], c["key"], c["field"], c["hub_value"], c["erp_value"]) for c in found]


def test_new_quantities_and_a_new_date_in_odoo_reach_purchasing_and_presale(shop: OdooShop) -> None:
    connect(shop)
    order, line = erp_order(shop)
    sync(shop)
    assert hub_order(shop)["state"] == "sent"  # marked presale: open at once
    assert presale(shop) == [("WH-HZ", 60, [(date(2030, 1, 10), 60)])]

    edit_in_odoo(shop, order, line, product_qty=40.0, date_planned="2030-02-01 08:00:00")
    sync(shop)
    sync(shop)  # read again: nothing more

    changed = hub_order(shop)
    assert (changed["expected_on"], [(x["sku"], x["quantity"]) for x in changed["lines"]]) == \
        (date(2030, 2, 1), [("TEE-RED-M", 40)])
    assert presale(shop) == [("WH-HZ", 40, [(date(2030, 2, 1), 40)])]
    assert [e.action for e in audit(shop.hub)].count("purchase_order.amend") == 1
    assert conflicts(shop) == []


def test_a_cancellation_in_odoo_cancels_the_order_and_takes_its_presale_back(shop: OdooShop) -> None:
    connect(shop)
    order, line = erp_order(shop)
    sync(shop)

    edit_in_odoo(shop, order, line, state="cancel")
    sync(shop)

    assert hub_order(shop)["state"] == "cancelled"
    assert presale(shop) == [("WH-HZ", 0, [])]
    assert conflicts(shop) == []


def test_a_change_purchasing_refuses_is_a_conflict_and_the_order_stays(shop: OdooShop) -> None:
    connect(shop)
    order, line = erp_order(shop)
    sync(shop)
    with shop.hub.uow(write=False) as uow:
        mill = partner_by_code(uow.connection, shop.admin.tenant_id, "MILL-1")
    supplier = Actor(tenant_id=shop.admin.tenant_id, role="partner", name="mill-1", partner_id=mill.id)
    act(shop.hub, supplier, str(hub_order(shop)["id"]), "confirm")
    ship(shop.hub, supplier, str(hub_order(shop)["id"]), {"TEE-RED-M": 30})  # 30 on their way

    edit_in_odoo(shop, order, line, product_qty=20.0)
    sync(shop)

    assert [(x["sku"], x["quantity"]) for x in hub_order(shop)["lines"]] == [("TEE-RED-M", 60)]
    assert conflicts(shop) == [("purchase_order", "P00031", "quantities", "{'TEE-RED-M': 60}",
                                "{'TEE-RED-M': 20} (refused: not below what was received or is on its way)")]

    edit_in_odoo(shop, order, line, product_qty=60.0)  # put back in Odoo: the two agree again
    sync(shop)
    assert conflicts(shop) == []


def test_a_date_the_connection_gives_to_the_hub_is_kept_and_odoos_shown(shop: OdooShop) -> None:
    connect(shop, ownership={"purchase_order": {"expected_on": "hub"}})
    order, line = erp_order(shop)
    sync(shop)

    edit_in_odoo(shop, order, line, product_qty=50.0, date_planned="2030-03-01 08:00:00")
    sync(shop)

    changed = hub_order(shop)
    assert (changed["expected_on"], changed["lines"][0]["quantity"]) == (date(2030, 1, 10), 50)
    assert conflicts(shop) == [("purchase_order", "P00031", "expected_on", "2030-01-10", "2030-03-01")]

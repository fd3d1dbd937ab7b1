"""Stock adjustments, counts and transfers out to each ERP's sandbox, on SQLite and PostgreSQL: each on-hand movement
becomes one stock document at the node's mapped warehouse — into stock for a gain, out of it for a loss (Odoo a
stock.move to or from its inventory adjustment location, ERPNext a Material Receipt or Issue, Kingdee a 其他入库单
or 其他出库单) — sent once however often its event comes; a node with no warehouse mapped waits in the unmapped
queue; receipts and sales are not sent twice as stock moves."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from flexhub.bootstrap import Hub, bootstrap
from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, MapRecord, SyncConnection
from flexhub.kernel.messages import Actor
from flexhub.sandbox.erp.erpnext import ErpNextSandbox
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.settings import Settings
from flexhub.testing.builders import adjust, count, receive_transfer, transfer
from flexhub.testing.erp import (
    ERPNEXT_LOGIN,
    ERPNEXT_URL,
    KINGDEE_LOGIN,
    KINGDEE_URL,
    ODOO_LOGIN,
    ODOO_URL,
    behind_sandbox,
    documents,
    publish,
)
from flexhub.testing.fulfillment import shipping_shop


@dataclass(frozen=True)
class Erp:
    kind: str
    url: str
    login: dict[str, str]
    sandbox: Callable[[], Any]
    warehouse: Callable[[Any], str]  # the ERP's warehouse the node maps to
    moves: Callable[[Any], list[tuple[str, str, int, str]]]  # (direction, sku, units, warehouse) of each document


def odoo_moves(odoo: OdooSandbox) -> list[tuple[str, str, int, str]]:
    return [("in" if m["location_id"][0] == 2 else "out", "TEE-RED-M", m["product_uom_qty"],
             str(m["location_dest_id"][0] if m["location_id"][0] == 2 else m["location_id"][0]))
            for m in odoo.records("stock.move") if str(m.get("origin", "")).startswith("flexhub:")]


def erpnext_moves(erp: ErpNextSandbox) -> list[tuple[str, str, int, str]]:
    return [("in" if e["stock_entry_type"] == "Material Receipt" else "out", i["item_code"], int(i["qty"]),
             i.get("t_warehouse") or i["s_warehouse"]) for e in erp.records("Stock Entry") for i in e["items"]]


def kingdee_moves(erp: KingdeeSandbox) -> list[tuple[str, str, int, str]]:
    return [(direction, row["FMaterialId"]["FNumber"], row["FQty"], row["FStockId"]["FNumber"])
            for form, direction in (("STK_MISCELLANEOUS", "in"), ("STK_MisDelivery", "out"))
            for bill in erp.records(form) for row in bill["FEntity"]]


def odoo() -> OdooSandbox:
    erp = OdooSandbox()
    erp.add("product.product", {"name": "Tee", "default_code": "TEE-RED-M"})
    return erp


def erpnext() -> ErpNextSandbox:
    erp = ErpNextSandbox()
    erp.add("Item", {"item_code": "TEE-RED-M", "item_name": "Tee"})
    erp.add("Warehouse", {"warehouse_name": "Hangzhou - BR"})
    return erp


def kingdee() -> KingdeeSandbox:
    erp = KingdeeSandbox()
    erp.add("BD_MATERIAL", {"FNumber": "TEE-RED-M", "FName": "T恤"})
    erp.add("BD_STOCK", {"FNumber": "CK001", "FName": "杭州仓"})
    return erp


ERPS = {
    "odoo": Erp("odoo", ODOO_URL, ODOO_LOGIN, odoo, lambda erp: "1", odoo_moves),
    "erpnext": Erp("erpnext", ERPNEXT_URL, ERPNEXT_LOGIN, erpnext, lambda erp: "Hangzhou - BR", erpnext_moves),
    "kingdee": Erp("kingdee", KINGDEE_URL, KINGDEE_LOGIN, kingdee, lambda erp: "CK001", kingdee_moves),
}


@dataclass
class Shop:
    hub: Hub
    admin: Actor
    erp: Erp
    sandbox: Any


@pytest.fixture(params=sorted(ERPS))
def shop(request: pytest.FixtureRequest, database_url: str) -> Iterator[Shop]:
    erp = ERPS[request.param]
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        hub.relay.run_once()  # the shop's opening stock, before the ERP is connected
        sandbox = behind_sandbox(hub, erp.sandbox())
        hub.handle(CreateConnection(actor=admin, code="erp", kind=erp.kind, url=erp.url, credentials=erp.login))
        yield Shop(hub, admin, erp, sandbox)
    finally:
        hub.close()



def test_an_adjustment_and_a_count_go_out_once_each_to_the_nodes_warehouse(shop: Shop) -> None:
    shop.hub.handle(MapRecord(actor=shop.admin, code="erp", kind="location", hub_code="WH-HZ",
                              erp_ref=shop.erp.warehouse(shop.sandbox)))
    adjust(shop.hub, shop.admin, "TEE-RED-M", "WH-HZ", -2, reason="damaged")  # 10 → 8
    count(shop.hub, shop.admin, "TEE-RED-M", "WH-HZ", 11)  # 8 → 11

    publish(shop)
    shop.hub.handle(SyncConnection(actor=shop.admin, code="erp"))

    warehouse = shop.erp.warehouse(shop.sandbox)
    assert sorted(shop.erp.moves(shop.sandbox)) == [("in", "TEE-RED-M", 3, warehouse),
                                                   ("out", "TEE-RED-M", 2, warehouse)]
    assert sorted((d.kind, d.state) for d in documents(shop.hub)) == [("stock_in", "sent"), ("stock_out", "sent")]


def test_a_transfer_leaves_one_node_and_waits_for_the_other_nodes_warehouse(shop: Shop) -> None:
    shop.hub.handle(MapRecord(actor=shop.admin, code="erp", kind="location", hub_code="WH-HZ",
                              erp_ref=shop.erp.warehouse(shop.sandbox)))
    moved = transfer(shop.hub, shop.admin, "WH-HZ", "ST-HZ", {"TEE-RED-M": 4})
    receive_transfer(shop.hub, shop.admin, moved)

    publish(shop)

    assert shop.erp.moves(shop.sandbox) == [("out", "TEE-RED-M", 4, shop.erp.warehouse(shop.sandbox))]
    waiting = [d for d in documents(shop.hub) if d.state == "pending"]
    assert [(d.kind, d.last_error) for d in waiting] == \
        [("stock_in", "unmapped: node ST-HZ has no warehouse in the ERP: map it")]
    with shop.hub.uow(write=False) as uow:
        queue = [m for m in queries.mappings(uow.connection, shop.admin.tenant_id, "erp") if not m["mapped"]]
    assert [(m["kind"], m["hub_code"]) for m in queue] == [("location", "ST-HZ")]

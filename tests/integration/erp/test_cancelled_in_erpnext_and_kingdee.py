"""A purchase order cancelled in ERPNext (docstatus 2) or in Kingdee (作废 FCancelStatus B) after the hub took it
in is cancelled in purchasing at the next sync, on SQLite and PostgreSQL; one cancelled before the hub ever read it
is never made."""

from collections.abc import Iterator
from typing import Any

import pytest

from flexhub.bootstrap import bootstrap
from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, SyncConnection
from flexhub.purchasing.queries import order_view
from flexhub.sandbox.erp.erpnext import ErpNextSandbox
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.settings import Settings
from flexhub.testing.erp import ERPNEXT_LOGIN, ERPNEXT_URL, KINGDEE_LOGIN, KINGDEE_URL, behind_sandbox
from flexhub.testing.fulfillment import shipping_shop


def hub_orders(hub: Any, admin: Any) -> list[str]:
    with hub.uow(write=False) as uow:
        refs = [m["hub_code"] for m in queries.mappings(uow.connection, admin.tenant_id, "erp")
                if m["kind"] == "purchase_order" and m["hub_code"]]
        return [order_view(uow.connection, admin.tenant_id, ref)["state"] for ref in refs]


@pytest.fixture
def shop(database_url: str) -> Iterator[Any]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        yield hub, shipping_shop(hub)
    finally:
        hub.close()


def test_a_purchase_order_cancelled_in_erpnext_is_cancelled_in_purchasing(shop: Any) -> None:
    hub, admin = shop
    erp = behind_sandbox(hub, ErpNextSandbox())
    erp.add("Item", {"item_code": "TEE-RED-M", "item_name": "Tee"})
    erp.add("Supplier", {"supplier_name": "Mill One"})
    order = erp.add("Purchase Order", {"supplier": "Mill One", "docstatus": 1, "schedule_date": "2030-01-10",
                                       "currency": "CNY", "items": [{"item_code": "TEE-RED-M", "qty": 60, "rate": 21}]})
    gone = erp.add("Purchase Order", {"supplier": "Mill One", "docstatus": 2, "schedule_date": "2030-01-10",
                                      "currency": "CNY", "items": [{"item_code": "TEE-RED-M", "qty": 5, "rate": 21}]})
    hub.handle(CreateConnection(actor=admin, code="erp", kind="erpnext", url=ERPNEXT_URL, credentials=ERPNEXT_LOGIN,
                                settings={"receiving_location": "WH-HZ", "presale": True}))
    hub.handle(SyncConnection(actor=admin, code="erp"))
    assert hub_orders(hub, admin) == ["sent"] and gone  # the one cancelled before it was read: never made

    erp.tick(30)
    erp.change("Purchase Order", order, {"docstatus": 2})
    hub.handle(SyncConnection(actor=admin, code="erp"))

    assert hub_orders(hub, admin) == ["cancelled"]


def test_a_purchase_order_voided_in_kingdee_is_cancelled_in_purchasing(shop: Any) -> None:
    hub, admin = shop
    erp = behind_sandbox(hub, KingdeeSandbox())
    erp.add("BD_MATERIAL", {"FNumber": "TEE-RED-M", "FName": "T恤"})
    erp.add("BD_Supplier", {"FNumber": "VEN0001", "FName": "一号面料厂"})
    order = erp.add("PUR_PurchaseOrder", {"FSupplierId": {"FNumber": "VEN0001"}, "FSettleCurrId": {"FNumber": "PRE001"},
                                          "FDeliveryDate": "2030-01-10T00:00:00", "FCancelStatus": "A",
                                          "FPOOrderEntry": [{"FMaterialId": {"FNumber": "TEE-RED-M"}, "FQty": 60,
                                                             "FTaxPrice": 21.5}]})
    hub.handle(CreateConnection(actor=admin, code="erp", kind="kingdee", url=KINGDEE_URL, credentials=KINGDEE_LOGIN,
                                settings={"receiving_location": "WH-HZ"}))
    hub.handle(SyncConnection(actor=admin, code="erp"))
    assert hub_orders(hub, admin) == ["draft"]

    erp.tick(30)
    erp.change("PUR_PurchaseOrder", order, {"FCancelStatus": "B"})
    hub.handle(SyncConnection(actor=admin, code="erp"))

    assert hub_orders(hub, admin) == ["cancelled"]

"""Kingdee Cloud Galaxy (金蝶云星空) end to end against its sandbox, on SQLite and PostgreSQL: a channel order
becomes one audited 销售订单 (an answer lost after Kingdee saved it creates nothing twice, and the bill found is
submitted and audited), its shipment one 销售出库单, its return one 销售退货单; an audited 采购订单 becomes one hub
purchase order whose receipt goes back as one 采购入库单; a 物料 changed in Kingdee reaches the catalog; a lost
session signs in again; a refused bill is parked with Kingdee's reason."""

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
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.settings import Settings
from flexhub.testing.erp import KINGDEE_LOGIN, KINGDEE_URL, behind_sandbox, documents, publish
from flexhub.testing.fulfillment import routed_order, shipping_shop
from flexhub.testing.purchasing import act, receive_notice, ship


@dataclass
class KingdeeShop:
    hub: Hub
    admin: Actor
    erp: KingdeeSandbox


@pytest.fixture
def shop(database_url: str) -> Iterator[KingdeeShop]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        erp = behind_sandbox(hub, KingdeeSandbox())
        erp.add("BD_MATERIAL", {"FNumber": "TEE-RED-M", "FName": "T恤 红 M", "FRefCost": 25.0})
        hub.handle(CreateConnection(actor=admin, code="kd", kind="kingdee", url=KINGDEE_URL,
                                    credentials=KINGDEE_LOGIN, settings={"receiving_location": "WH-HZ"}))
        yield KingdeeShop(hub, admin, erp)
    finally:
        hub.close()



def saves(shop: KingdeeShop, form: str) -> int:
    return sum(1 for c in shop.erp.calls if c["operation"] == "Save" and c["form"] == form)


def test_an_order_its_shipment_and_its_return_reach_kingdee_once_each(shop: KingdeeShop) -> None:
    shop.erp.fail_next("lost_answer", operation="Save", form="SAL_SaleOrder")
    order_id = routed_order(shop.hub, shop.admin, quantity=3)
    publish(shop)  # Kingdee saved the bill; the hub heard a timeout and nothing was submitted

    (waiting,) = documents(shop.hub)
    assert waiting.state == "pending" and waiting.last_error.startswith("timeout: ")
    (saved,) = shop.erp.records("SAL_SaleOrder")
    assert saved["FDocumentStatus"] == "A"
    assert shop.hub.erp_sender.send_now(waiting.id) is True
    (order,) = shop.erp.records("SAL_SaleOrder")
    assert (order["FNote"], order["FDocumentStatus"], order["FCustId"]) == \
        (f"flexhub:{order_id}", "C", {"FNumber": "channel-web"})
    assert [(e["FMaterialId"]["FNumber"], e["FQty"], e["FTaxPrice"]) for e in order["FSaleOrderEntry"]] == \
        [("TEE-RED-M", 3, 99.0)]

    shipment = shop.hub.handle(ful.CreateShipment(actor=shop.admin, order_id=str(order_id), carrier=None))
    for step in (ful.ConfirmPick, ful.PackShipment):
        shop.hub.handle(step(actor=shop.admin, shipment_id=str(shipment.id)))
    shop.hub.handle(ful.ShipShipment(actor=shop.admin, shipment_id=str(shipment.id), waybill_number="ZT100"))
    rma = shop.hub.handle(ret.CreateReturn(actor=shop.admin, order_id=str(order_id), lines={"TEE-RED-M": 1}))
    shop.hub.handle(ret.ReceiveReturn(actor=shop.admin, return_id=str(rma.id), node="WH-HZ"))
    shop.hub.handle(ret.InspectReturn(actor=shop.admin, return_id=str(rma.id),
                                      grades={"TEE-RED-M": {"resellable": 1}}))
    publish(shop)
    shop.hub.handle(SyncConnection(actor=shop.admin, code="kd"))

    (outbound,) = shop.erp.records("SAL_OUTSTOCK")
    (returned,) = shop.erp.records("SAL_RETURNSTOCK")
    assert (outbound["FNote"], outbound["FDocumentStatus"]) == (f"flexhub:{shipment.id}", "C")
    assert [(e["FRealQty"], e["FSrcBillNo"]) for e in outbound["FEntity"]] == [(3, order["FBillNo"])]
    assert (returned["FNote"], [e["FRealQty"] for e in returned["FEntity"]]) == (f"flexhub:{rma.id}", [1])
    assert [saves(shop, f) for f in ("SAL_SaleOrder", "SAL_OUTSTOCK", "SAL_RETURNSTOCK", "BD_Customer")] == \
        [1, 1, 1, 1]


def test_an_audited_purchase_order_comes_in_once_and_its_receipt_goes_back(shop: KingdeeShop) -> None:
    shop.erp.add("BD_Supplier", {"FNumber": "VEN0001", "FName": "一号面料厂"})
    shop.erp.add("PUR_PurchaseOrder", {"FSupplierId": {"FNumber": "VEN0001"}, "FSettleCurrId": {"FNumber": "PRE001"},
                                       "FDeliveryDate": "2030-01-10T00:00:00",
                                       "FPOOrderEntry": [{"FMaterialId": {"FNumber": "TEE-RED-M"}, "FQty": 60,
                                                          "FTaxPrice": 21.5}]})
    shop.erp.add("PUR_PurchaseOrder", {"FSupplierId": {"FNumber": "VEN0001"}, "FDeliveryDate": "2030-01-10",
                                       "FPOOrderEntry": [{"FMaterialId": {"FNumber": "TEE-RED-M"}, "FQty": 1}]},
                 status="A")  # saved, not audited: not read

    first = shop.hub.handle(SyncConnection(actor=shop.admin, code="kd"))
    again = shop.hub.handle(SyncConnection(actor=shop.admin, code="kd"))

    assert (first.read, again.read) == ({"products": 1, "suppliers": 1, "purchase_orders": 1},
                                        {"products": 0, "suppliers": 0, "purchase_orders": 0})
    with shop.hub.uow(write=False) as uow:
        (hub_order,) = [m["hub_code"] for m in queries.mappings(uow.connection, shop.admin.tenant_id, "kd")
                        if m["kind"] == "purchase_order"]
        mill = partner_by_code(uow.connection, shop.admin.tenant_id, "VEN0001")
    supplier = Actor(tenant_id=shop.admin.tenant_id, role="partner", name="mill", partner_id=mill.id)
    act(shop.hub, shop.admin, hub_order, "send")
    act(shop.hub, supplier, hub_order, "confirm")
    notice = ship(shop.hub, supplier, hub_order, {"TEE-RED-M": 60})
    receive_notice(shop.hub, shop.admin, notice["id"])
    publish(shop)

    (receipt,) = shop.erp.records("STK_InStock")
    erp_order = next(o for o in shop.erp.records("PUR_PurchaseOrder") if o["FDocumentStatus"] == "C")
    assert (receipt["FSupplierId"], receipt["FNote"], receipt["FDocumentStatus"]) == \
        ({"FNumber": "VEN0001"}, f"flexhub:{notice['id']}", "C")
    assert [(e["FRealQty"], e["FSrcBillNo"]) for e in receipt["FInStockEntry"]] == [(60, erp_order["FBillNo"])]


def test_a_material_changed_in_kingdee_reaches_the_catalog_and_a_lost_session_signs_in_again(
        shop: KingdeeShop) -> None:
    shop.hub.handle(SyncConnection(actor=shop.admin, code="kd"))
    shop.erp.tick(30)
    (material,) = shop.erp.records("BD_MATERIAL")
    shop.erp.change("BD_MATERIAL", material["FID"], {"FName": "T恤 正红 M", "FRefCost": 26.4})
    shop.erp.fail_next("session_expired", operation="ExecuteBillQuery")

    synced = shop.hub.handle(SyncConnection(actor=shop.admin, code="kd"))

    assert (synced.read["products"], synced.errors) == (1, [])
    with shop.hub.uow(write=False) as uow:
        sku = uow.connection.execute(select(Sku).where(Sku.code == "TEE-RED-M")).one()
    assert (sku.name, sku.attributes["standard_cost"]) == ("T恤 正红 M", 2640)


def test_a_refused_bill_is_parked_with_kingdees_reason(shop: KingdeeShop) -> None:
    shop.erp.fail_next("validation", operation="Save", form="SAL_SaleOrder")
    routed_order(shop.hub, shop.admin)

    publish(shop)

    (parked,) = documents(shop.hub)
    assert (parked.state, parked.last_error) == ("dead", "validation error: 沙箱拒绝了该单据")
    assert shop.erp.records("SAL_SaleOrder") == []

"""Orders, shipments and returns out to a sandbox Odoo, on SQLite and PostgreSQL: a channel order becomes one
sale.order, its shipment one delivery (stock.picking) linked to it, its inspected return one credit note
(account.move out_refund); a replayed event, a retry after a lost answer (Odoo committed, the hub never heard) and
a sync run again create nothing twice."""

from typing import Any

from flexhub.bus.transport import Envelope
from flexhub.erp.commands import SyncConnection
from flexhub.erp.outbound import DocumentIntake
from flexhub.fulfillment import commands as ful
from flexhub.returns import commands as ret
from flexhub.testing.erp import documents, publish
from flexhub.testing.fulfillment import routed_order
from flexhub.testing.snapshots import outbox

from .conftest import OdooShop


def creates(shop: OdooShop, model: str) -> int:
    return sum(1 for c in shop.odoo.calls if c["model"] == model and c["call"] == "create")


def test_an_order_its_shipment_and_its_return_reach_odoo_once_each(shop: OdooShop) -> None:
    order_id = routed_order(shop.hub, shop.admin, quantity=3)
    publish(shop)

    (sale,) = shop.odoo.records("sale.order")
    (line,) = shop.odoo.records("sale.order.line")
    (customer,) = [p for p in shop.odoo.records("res.partner") if p["ref"] == "flexhub:channel:web"]
    assert sale["client_order_ref"] == f"flexhub:{order_id}"
    assert sale["partner_id"] == [customer["id"], "Channel web"]
    assert (line["product_id"][0], line["product_uom_qty"], line["price_unit"]) == (shop.product_id, 3, 99.0)

    shipment = shop.hub.handle(ful.CreateShipment(actor=shop.admin, order_id=str(order_id), carrier=None))
    for step in (ful.ConfirmPick, ful.PackShipment):
        shop.hub.handle(step(actor=shop.admin, shipment_id=str(shipment.id)))
    shop.hub.handle(ful.ShipShipment(actor=shop.admin, shipment_id=str(shipment.id), waybill_number="ZT100"))
    publish(shop)

    (picking,) = shop.odoo.records("stock.picking")
    (move,) = shop.odoo.records("stock.move")
    assert (picking["origin"], picking["sale_id"][0]) == (f"flexhub:{shipment.id}", sale["id"])
    assert picking["partner_id"][0] == customer["id"]
    assert (move["product_id"][0], move["product_uom_qty"]) == (shop.product_id, 3)

    rma = shop.hub.handle(ret.CreateReturn(actor=shop.admin, order_id=str(order_id), lines={"TEE-RED-M": 1}))
    shop.hub.handle(ret.ReceiveReturn(actor=shop.admin, return_id=str(rma.id), node="WH-HZ"))
    shop.hub.handle(ret.InspectReturn(actor=shop.admin, return_id=str(rma.id),
                                      grades={"TEE-RED-M": {"resellable": 1}}))
    publish(shop)

    (refund,) = shop.odoo.records("account.move")
    (refund_line,) = shop.odoo.records("account.move.line")
    assert (refund["move_type"], refund["ref"], refund["partner_id"][0]) == \
        ("out_refund", f"flexhub:{rma.id}", customer["id"])
    assert (refund_line["quantity"], refund_line["price_unit"]) == (1, 99.0)
    assert [(d.kind, d.state) for d in documents(shop.hub)] == \
        [("sale_order", "sent"), ("delivery", "sent"), ("credit_note", "sent")]

    # The same events again, and a sync now: nothing new anywhere.
    intake = DocumentIntake(shop.hub.uow)
    for event in outbox(shop.hub):
        if event.type in ("OrdersReceived", "ShipmentShipped", "ReturnInspected"):
            intake(envelope_of(event))
    synced = shop.hub.handle(SyncConnection(actor=shop.admin, code="odoo"))
    publish(shop)
    assert synced.sent == 0 and len(documents(shop.hub)) == 3
    assert [creates(shop, m) for m in ("sale.order", "stock.picking", "account.move", "res.partner")] == [1, 1, 1, 1]


def test_a_sales_order_whose_answer_was_lost_is_found_not_made_again(shop: OdooShop) -> None:
    shop.odoo.fail_next("lost_answer", model="sale.order", method="create")
    order_id = routed_order(shop.hub, shop.admin, quantity=2)

    publish(shop)  # Odoo made it; the hub heard a timeout

    (failed,) = documents(shop.hub)
    assert (failed.state, failed.attempts) == ("pending", 1)
    assert failed.last_error.startswith("timeout: ")
    assert len(shop.odoo.records("sale.order")) == 1
    assert shop.hub.erp_sender.send_now(failed.id) is True  # before its back-off: someone asked for it now
    (sent,) = documents(shop.hub)
    (sale,) = shop.odoo.records("sale.order")
    assert (sent.state, sent.erp_id, sent.last_error) == ("sent", str(sale["id"]), None)
    assert sale["client_order_ref"] == f"flexhub:{order_id}"
    assert creates(shop, "sale.order") == 1


def test_a_delivery_waits_for_its_sales_order(shop: OdooShop) -> None:
    shop.odoo.fail_next("validation", model="sale.order", method="create")
    order_id = routed_order(shop.hub, shop.admin, quantity=1)
    publish(shop)
    shipment = shop.hub.handle(ful.CreateShipment(actor=shop.admin, order_id=str(order_id), carrier=None))
    for step in (ful.ConfirmPick, ful.PackShipment):
        shop.hub.handle(step(actor=shop.admin, shipment_id=str(shipment.id)))
    shop.hub.handle(ful.ShipShipment(actor=shop.admin, shipment_id=str(shipment.id), waybill_number="ZT101"))
    publish(shop)

    order, delivery = documents(shop.hub)
    assert (order.state, delivery.state) == ("dead", "pending")
    assert delivery.last_error == f"unmapped: waiting for the sales order of order {order_id}"
    assert shop.odoo.records("stock.picking") == []


def envelope_of(event: Any) -> Envelope:
    return Envelope(event_id=event.event_id, tenant_id=event.tenant_id, type=event.type,
                    occurred_at=event.occurred_at, body=event.body)

"""End to end through the sandbox, on SQLite and PostgreSQL: an order placed in a sandbox store is imported once,
reserved and routed; it ships with a waybill and label from the sandbox SF Express; the store is told it shipped
with the tracking number; SF's scans (one pushed, the rest polled) carry it to delivered; and the buyer's return
request from the store (sent twice) opens one RMA which, received at the buyer's regional returns centre and
graded resellable, puts the pool back where it was, with every level rebuilt from the ledger exactly."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from flexhub.fulfillment import queries
from flexhub.fulfillment.commands import CreateShipment, PollTracking
from flexhub.fulfillment.model import TrackingEvent
from flexhub.ordering.queries import list_orders
from flexhub.returns.commands import InspectReturn, ReceiveReturn, SetReturnsCentres
from flexhub.returns.model import Return
from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.testing.fulfillment import pick_pack_ship
from flexhub.testing.snapshots import ledger_differences, level

SKU = "TEE-RED-M"


def test_a_store_order_is_routed_shipped_tracked_to_delivered_and_its_return_restocks_the_pool(
        stage: Stage, sf: SfSandbox) -> None:
    hub, admin = stage.hub, stage.admin
    store = stage.market.store("generic", "web-shop")
    placed = stage.market.place_order(store, {SKU: 2})
    stage.market.resend(store, placed.external_id)  # delivered twice: still one order
    order = wait_until(lambda: routed(stage, placed.external_id))
    assert len(orders(stage, placed.external_id)) == 1
    assert level(hub, admin, SKU, "WH-HZ")["reserved"] == 2

    created = hub.handle(CreateShipment(actor=admin, order_id=order["id"], carrier="sf_express"))
    assert hub.waybills.issue(admin.tenant_id, created.id)  # as the API does, outside the transaction
    shipment_id = uuid.UUID(str(created.id))
    waybill = shipment(stage, shipment_id)["waybill_number"]
    assert waybill in sf.parcels and sf.parcels[waybill].order_id == str(shipment_id)
    with hub.uow(write=False) as uow:
        assert queries.label(uow.connection, admin.tenant_id, shipment_id).startswith(b"%PDF")
    pick_pack_ship(hub, admin, str(shipment_id))
    assert (level(hub, admin, SKU, "WH-HZ")["on_hand"], level(hub, admin, SKU, "WH-HZ")["reserved"]) == (8, 0)

    told = wait_until(lambda: store.orders[placed.external_id].shipments)
    assert store.orders[placed.external_id].status == "shipped"
    assert told == [{"carrier": "sf_express", "tracking_number": waybill, "lines": [{"line": "1", "quantity": 2}]}]

    sf.scan(waybill, "picked_up")  # pushed to the hub, signed as SF does (the push URL's token)
    wait_until(lambda: shipment(stage, shipment_id)["state"] == "in_transit")
    assert sf.drain() and 200 in sf.pushed
    sf.scan(waybill, "out_for_delivery", push=False)
    sf.scan(waybill, "delivered", push=False)  # SF pushes nothing more: the polling job finds it
    hub.tracker.every = timedelta(0)  # poll at once from now on, rather than every half hour
    hub.handle(PollTracking(actor=admin, shipment_id=str(shipment_id)))  # and make its next poll due now
    wait_until(lambda: shipment(stage, shipment_id)["state"] == "delivered")
    assert orders(stage, placed.external_id)[0]["status"] == "delivered"
    assert scans(stage, shipment_id) == [("picked_up", "push"), ("out_for_delivery", "poll"), ("delivered", "poll")]

    hub.handle(SetReturnsCentres(actor=admin, centres={"浙江省": "WH-HZ"}))
    request = store.platform.return_request(store, placed, "RET-1", {SKU: 2}, "does not fit")
    for _ in range(2):  # the store sends the buyer's request, and once more: still one RMA
        stage.market.courier.deliver(stage.market.hub_url, request, lambda status: None)
    rma = wait_until(lambda: returns_of(stage, order["id"]))
    assert (rma.source, rma.external_id, rma.reason, rma.state) == ("web-shop", "RET-1", "does not fit", "open")
    hub.handle(ReceiveReturn(actor=admin, return_id=str(rma.id)))  # at the buyer's regional returns centre
    hub.handle(InspectReturn(actor=admin, return_id=str(rma.id), grades={SKU: {"resellable": 2}}))
    assert stage.market.courier.drain() and len(returns_of(stage, order["id"], every=True)) == 1
    assert (level(hub, admin, SKU, "WH-HZ")["on_hand"], level(hub, admin, SKU, "WH-HZ")["reserved"]) == (10, 0)
    assert ledger_differences(hub) == []
    wait_until(lambda: store.listing(SKU).quantity == 10)  # and the store shows the pool back


def orders(stage: Stage, external_id: str) -> list[dict[str, Any]]:
    with stage.hub.uow(write=False) as uow:
        return list_orders(uow.connection, stage.admin.tenant_id, channel="web-shop", external_id=external_id)


def routed(stage: Stage, external_id: str) -> dict[str, Any] | None:
    found = orders(stage, external_id)
    return found[0] if found and found[0]["status"] == "routed" else None


def shipment(stage: Stage, shipment_id: uuid.UUID) -> dict[str, Any]:
    with stage.hub.uow(write=False) as uow:
        return queries.shipment_view(uow.connection, stage.admin.tenant_id, shipment_id)


def scans(stage: Stage, shipment_id: uuid.UUID) -> list[tuple[str, str]]:
    query = (select(TrackingEvent.state, TrackingEvent.source).where(TrackingEvent.shipment_id == shipment_id)
             .order_by(TrackingEvent.at))
    with stage.hub.uow(write=False) as uow:
        return [tuple(row) for row in uow.connection.execute(query)]


def returns_of(stage: Stage, order_id: str, *, every: bool = False) -> Any:
    query = select(Return).where(Return.tenant_id == stage.admin.tenant_id, Return.order_id == uuid.UUID(order_id))
    with stage.hub.uow(write=False) as uow:
        found = list(uow.connection.execute(query))
    return found if every else (found[0] if found else None)

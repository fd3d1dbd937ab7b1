"""Shipments on each backend: a routed order shipped through the ledger, the channel told the tracking number;
partial shipments, tracking to delivered, pickup, short picks, and refusals that change nothing."""

import uuid
from typing import Any

import pytest

from flexhub.bootstrap import Hub
from flexhub.fulfillment import commands as ful
from flexhub.fulfillment import queries
from flexhub.fulfillment.errors import InvalidShipmentTransition, NotShippable, WrongPickupCode
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import import_order, line
from flexhub.testing.clocks import MovableClock
from flexhub.testing.fulfillment import Network, routed_order
from flexhub.testing.fulfillment import create_shipment as shipment
from flexhub.testing.fulfillment import pick_pack_ship as ship
from flexhub.testing.snapshots import ledger, ledger_differences, level, order, reservation_mismatches, snapshot


def view(hub: Hub, admin: Actor, shipment_id: str) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return queries.shipment_view(uow.connection, admin.tenant_id, uuid.UUID(shipment_id))


def consistent(hub: Hub, admin: Actor) -> bool:
    return ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []


def test_a_routed_order_ships_through_the_ledger_and_the_channel_hears_the_tracking_number(
        hub: Hub, admin: Actor, network: Network) -> None:
    order_id = routed_order(hub, admin)
    shipment_id = shipment(hub, admin, order_id)
    issued = view(hub, admin, shipment_id)
    assert (issued["waybill_state"], issued["waybill_number"], issued["has_label"]) == ("issued", "ZT77000001", True)
    with hub.uow(write=False) as uow:
        assert queries.label(uow.connection, admin.tenant_id, uuid.UUID(shipment_id)).startswith(b"%PDF")
    shipped = ship(hub, admin, shipment_id)
    assert (shipped.state, shipped.order_status) == ("shipped", "shipped")
    assert order(hub, admin, order_id)["status"] == "shipped"
    assert [(m.kind, m.on_hand_delta, m.reserved_delta, m.reference) for m in ledger(hub)[-1:]] == [
        ("ship", -3, -3, str(order_id))]
    assert (level(hub, admin, "TEE-RED-M", "WH-HZ")["on_hand"], level(hub, admin, "TEE-RED-M", "WH-HZ")["reserved"]) \
        == (7, 0)
    assert consistent(hub, admin)
    hub.relay.run_once()
    assert notice(hub, admin, shipment_id).whole  # every line in full: JD and Shopee take it as the whole order
    assert hub.notifier.run_once() == 1
    assert network.channel_bodies() == [{"carrier": "zto", "tracking_number": "ZT77000001", "lines": [
        {"line": "1", "quantity": 3}]}]
    hub.relay.run_once()
    assert hub.notifier.run_once() == 0  # told once


def test_a_partial_shipment_leaves_the_rest_reserved_until_the_second_parcel(hub: Hub, admin: Actor) -> None:
    order_id = routed_order(hub, admin, quantity=3)
    first = shipment(hub, admin, order_id, lines={1: 2})
    assert ship(hub, admin, first).order_status == "partially_shipped"
    active = [r for r in order(hub, admin, order_id)["reservations"] if r["state"] == "active"]
    assert [(r["location"], r["quantity"]) for r in active] == [("WH-HZ", 1)]
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["reserved"] == 1 and consistent(hub, admin)
    second = shipment(hub, admin, order_id)
    assert [ln["quantity"] for ln in view(hub, admin, second)["lines"]] == [1]
    assert ship(hub, admin, second).order_status == "shipped"
    assert level(hub, admin, "TEE-RED-M", "WH-HZ")["on_hand"] == 7 and consistent(hub, admin)
    hub.relay.run_once()
    assert [notice(hub, admin, parcel).whole for parcel in (first, second)] == [False, False]  # 2 of 3, then 1


def notice(hub: Hub, admin: Actor, shipment_id: str):  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return queries.notice_to_send(uow.connection, admin.tenant_id, uuid.UUID(shipment_id))[2]


def test_tracking_moves_shipment_and_order_to_delivered(hub: Hub, admin: Actor) -> None:
    order_id = routed_order(hub, admin)
    shipment_id = shipment(hub, admin, order_id)
    ship(hub, admin, shipment_id)
    hub.handle(ful.RecordTrackingEvent(actor=admin, shipment_id=shipment_id, state="in_transit"))
    assert view(hub, admin, shipment_id)["state"] == "in_transit"
    hub.handle(ful.RecordTrackingEvent(actor=admin, shipment_id=shipment_id, state="delivered"))
    assert view(hub, admin, shipment_id)["state"] == "delivered"
    assert order(hub, admin, order_id)["status"] == "delivered"


def test_shipping_an_unrouted_order_changes_nothing(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=1)])
    assert order(hub, admin, placed.order_id)["status"] == "reserved"
    before = snapshot(hub)
    with pytest.raises(NotShippable):
        hub.handle(ful.CreateShipment(actor=admin, order_id=str(placed.order_id), carrier="zto"))
    assert snapshot(hub) == before


def test_a_shipment_not_packed_is_not_shipped_and_nothing_changes(hub: Hub, admin: Actor) -> None:
    shipment_id = shipment(hub, admin, routed_order(hub, admin))
    before = snapshot(hub)
    with pytest.raises(InvalidShipmentTransition):
        hub.handle(ful.ShipShipment(actor=admin, shipment_id=shipment_id))
    assert snapshot(hub) == before


def test_a_carrier_error_parks_the_waybill_in_the_exceptions_queue(hub: Hub, admin: Actor, network: Network) -> None:
    network.waybill_status = 500
    hub.waybills.max_attempts = 1
    order_id = routed_order(hub, admin)
    created = hub.handle(ful.CreateShipment(actor=admin, order_id=str(order_id), carrier="zto"))
    assert not hub.waybills.issue(admin.tenant_id, created.id)
    with hub.uow(write=False) as uow:
        problems = queries.shipment_problems(uow.connection, admin.tenant_id)
    assert [(p["problem"], [a["action"] for a in p["actions"]]) for p in problems] == [
        ("carrier_error", ["retry_waybill", "reroute", "cancel"])]
    network.waybill_status = 200
    hub.handle(ful.IssueWaybill(actor=admin, shipment_id=str(created.id)))
    assert hub.waybills.run_once() == 1
    assert view(hub, admin, str(created.id))["waybill_state"] == "issued"


def test_a_channel_that_keeps_failing_parks_the_notice_with_its_error(hub: Hub, admin: Actor, network: Network) -> None:
    network.channel_status = 503
    hub.notifier.max_attempts = 1
    shipment_id = shipment(hub, admin, routed_order(hub, admin))
    ship(hub, admin, shipment_id)
    hub.relay.run_once()
    assert hub.notifier.run_once() == 0
    with hub.uow(write=False) as uow:
        problems = queries.shipment_problems(uow.connection, admin.tenant_id)
    assert [(p["problem"], p["error"][:8]) for p in problems] == [("channel_notice_failed", "HTTP 503")]


def test_a_pickup_order_is_collected_with_its_code(hub: Hub, admin: Actor) -> None:
    address = {"country": "CN", "province": "浙江省", "city": "杭州市", "line1": "x", "pickup_location": "ST-HZ"}
    order_id = routed_order(hub, admin, quantity=1, shipping_address=address)
    created = hub.handle(ful.CreateShipment(actor=admin, order_id=str(order_id)))
    code = created.pickup_code
    assert len(code) == 6 and code.isdigit()
    shipment_id = str(created.id)
    hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment_id))
    hub.handle(ful.PackShipment(actor=admin, shipment_id=shipment_id))
    before = snapshot(hub)
    with pytest.raises(WrongPickupCode):
        hub.handle(ful.CollectPickup(actor=admin, shipment_id=shipment_id, code=f"{(int(code) + 1) % 10**6:06d}"))
    assert snapshot(hub) == before
    hub.handle(ful.CollectPickup(actor=admin, shipment_id=shipment_id, code=code))
    assert view(hub, admin, shipment_id)["state"] == "delivered"
    assert order(hub, admin, order_id)["status"] == "delivered"
    assert level(hub, admin, "TEE-RED-M", "ST-HZ")["on_hand"] == 1 and consistent(hub, admin)


def test_a_short_pick_cancels_the_shipment_and_reroutes_the_order(hub: Hub, admin: Actor) -> None:
    order_id = routed_order(hub, admin, quantity=2)
    shipment_id = shipment(hub, admin, order_id)
    result = hub.handle(ful.ConfirmPick(actor=admin, shipment_id=shipment_id, short={"TEE-RED-M": 1}))
    assert result.state == "cancelled" and view(hub, admin, shipment_id)["state"] == "cancelled"
    assert result.reroute.nodes == ["ST-HZ"]
    active = [r["location"] for r in order(hub, admin, order_id)["reservations"] if r["state"] == "active"]
    assert active == ["ST-HZ"] and consistent(hub, admin)


def test_a_parcel_silent_for_too_long_and_a_failed_delivery_show_in_the_exceptions_queue(
        hub: Hub, admin: Actor, clock: MovableClock) -> None:
    quiet = shipment(hub, admin, routed_order(hub, admin, quantity=1))
    failed = shipment(hub, admin, routed_order(hub, admin, quantity=1, external_id="A-1002"))
    ship(hub, admin, quiet)
    ship(hub, admin, failed)
    hub.handle(ful.RecordTrackingEvent(actor=admin, shipment_id=failed, state="exception", description="refused"))
    clock.advance(hours=queries.SILENT_HOURS + 1)
    with hub.uow(write=False) as uow:
        found = {(p["shipment_id"], p["problem"]) for p in queries.shipment_problems(uow.connection, admin.tenant_id)}
    assert found == {(quiet, "no_tracking_event"), (failed, "delivery_failed")}  # a failed parcel is not "silent"

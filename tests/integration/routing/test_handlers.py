"""Routing on each backend: reservations moved through the ledger, the order routed, the decision stored with
its scored plans; re-routes after a short pick, unroutable orders, pickup, the job and the policy."""

from typing import Any

import pytest
from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.model import AuditEntry
from flexhub.inventory.queries import verify_ledger
from flexhub.inventory.repository import location_by_code
from flexhub.kernel.messages import Actor
from flexhub.ordering.errors import InvalidTransition
from flexhub.routing import policies, queries, repository
from flexhub.routing.commands import RerouteOrder, RouteOrder, RouteReservedOrders, RoutingOutcome, SetRoutingPolicy
from flexhub.routing.errors import AwaitingPayment, InvalidPolicy
from flexhub.routing.policy import RoutingPolicy
from flexhub.testing.builders import (
    create_channel,
    create_location,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
)
from flexhub.testing.snapshots import ledger, levels, order, snapshot

HANGZHOU = {"country": "CN", "province": "浙江省", "city": "杭州市", "line1": "文三路 90 号", "postal_code": "310000"}


@pytest.fixture
def admin(hub: Hub) -> Actor:
    """Acme: WH-BJ (Beijing, tried first by intake), WH-HZ (Hangzhou) and store ST-HZ, 10/10/2 TEE-RED-M."""
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M", weight_g=300)
    create_sku(hub, admin, "CAP-BLUE", weight_g=200)
    create_sku(hub, admin, "VASE", weight_g=1500, fragile=True)
    create_location(hub, admin, "WH-BJ", "central", country="CN", province="北京", city="北京", priority=10,
                    secure=True, packs_fragile=True, daily_capacity=500)
    create_location(hub, admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市", priority=20,
                    packs_fragile=True, daily_capacity=300)
    create_location(hub, admin, "ST-HZ", "store", country="CN", province="浙江省", city="杭州市", priority=30,
                    can_pickup=True)
    create_channel(hub, admin, "web", unpaid_hold_minutes=30)
    for location, units in (("WH-BJ", 10), ("WH-HZ", 10), ("ST-HZ", 2)):
        receive(hub, admin, "TEE-RED-M", location, units)
    return admin


def route(hub: Hub, admin: Actor, order_id: Any) -> RoutingOutcome:
    return hub.handle(RouteOrder(actor=admin, order_id=str(order_id)))


def active(hub: Hub, admin: Actor, order_id: Any) -> list[tuple[str, str, int]]:
    return sorted((r["location"], r["sku"], r["quantity"]) for r in order(hub, admin, order_id)["reservations"]
                  if r["state"] == "active")


def decision(hub: Hub, admin: Actor, order_id: Any) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return queries.decision_view(uow.connection, admin.tenant_id, order_id)


def ledger_agrees(hub: Hub) -> bool:
    with hub.uow(write=False) as uow:
        return verify_ledger(uow.connection) == []


def test_routing_moves_the_reservations_to_the_chosen_node_through_the_ledger(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=2)])
    assert active(hub, admin, placed.order_id) == [("WH-BJ", "TEE-RED-M", 2)]
    routed = route(hub, admin, placed.order_id)
    assert (routed.outcome, routed.status, routed.nodes) == ("routed", "routed", ["WH-HZ"])
    assert active(hub, admin, placed.order_id) == [("WH-HZ", "TEE-RED-M", 2)]
    found = levels(hub, admin, "TEE-RED-M")
    assert (found[("WH-BJ", "spot")]["reserved"], found[("WH-HZ", "spot")]["reserved"]) == (0, 2)
    assert [(m.kind, m.reserved_delta, m.reference) for m in ledger(hub)[-2:]] == [
        ("release", -2, str(placed.order_id)), ("reserve", 2, str(placed.order_id))]
    assert ledger_agrees(hub)
    assert (order(hub, admin, placed.order_id)["status"], order(hub, admin, placed.order_id)["version"]) == (
        "routed", 2)


def test_the_decision_is_stored_with_every_scored_plan_and_every_refused_node(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=2)])
    route(hub, admin, placed.order_id)
    found = decision(hub, admin, placed.order_id)
    assert (found["outcome"], found["trigger"], found["nodes"]) == ("routed", "route", ["WH-HZ"])
    assert found["plan"]["parcels"][0] | {"location_id": None} == {
        "node": "WH-HZ", "location_id": None, "kind": "regional", "carrier": "zto", "service": "standard",
        "zone": "same_province", "price": 400, "days": 1, "km": 0.0, "weight_g": 600,
        "lines": [{"line_no": 1, "sku": "TEE-RED-M", "quantity": 2}]}
    assert found["candidates"][0]["chosen"] and found["candidates"][0]["nodes"] == ["WH-HZ"]
    assert set(found["candidates"][0]["breakdown"]) >= {"shipping", "handling", "load", "total"}
    explained = {p["nodes"][0] for p in found["candidates"]} | set(found["rejected"])
    assert explained == {"WH-BJ", "WH-HZ", "ST-HZ"}
    with hub.uow(write=False) as uow:
        events = uow.connection.execute(select(OutboxEvent.type)).scalars().all()
        actions = uow.connection.execute(select(AuditEntry.action)).scalars().all()
        assert repository.loads(uow.connection, admin.tenant_id, policies.today(RoutingPolicy())) == {
            _location_id(hub, admin, "WH-HZ"): 1}
    assert "OrderRouted" in events and "order.route" in actions


def test_an_order_held_where_routing_wants_it_moves_no_stock(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=2)], shipping_address={**HANGZHOU, "city": "北京市",
                                                                                    "province": "北京市"})
    rows = len(ledger(hub))
    assert route(hub, admin, placed.order_id).nodes == ["WH-BJ"]
    assert len(ledger(hub)) == rows
    assert active(hub, admin, placed.order_id) == [("WH-BJ", "TEE-RED-M", 2)]


def test_a_split_holds_each_line_at_its_node(hub: Hub, admin: Actor) -> None:
    create_sku(hub, admin, "MUG", weight_g=400)
    receive(hub, admin, "CAP-BLUE", "WH-BJ", 3)
    receive(hub, admin, "MUG", "WH-HZ", 3)
    placed = import_order(hub, admin, lines=[line("CAP-BLUE", quantity=1), line("MUG", quantity=1)])
    routed = route(hub, admin, placed.order_id)
    assert sorted(routed.nodes) == ["WH-BJ", "WH-HZ"]
    assert routed.reason == "no single node can serve every line"
    assert active(hub, admin, placed.order_id) == [("WH-BJ", "CAP-BLUE", 1), ("WH-HZ", "MUG", 1)]
    assert decision(hub, admin, placed.order_id)["plan"]["split"] is True
    assert ledger_agrees(hub)


def test_rerouting_leaves_out_the_node_that_short_picked(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=2)])
    route(hub, admin, placed.order_id)
    again = hub.handle(RerouteOrder(actor=admin, order_id=str(placed.order_id), node="WH-HZ",
                                    short_skus=["TEE-RED-M"]))
    assert (again.status, again.nodes) == ("routed", ["WH-BJ"])
    assert active(hub, admin, placed.order_id) == [("WH-BJ", "TEE-RED-M", 2)]
    found = decision(hub, admin, placed.order_id)
    assert (found["trigger"], found["excluded"], found["short_skus"]) == ("reroute", ["WH-HZ"], ["TEE-RED-M"])
    assert found["rejected"]["WH-HZ"] == ["excluded: it short-picked this order"]
    assert [h["trigger"] for h in found["history"]] == ["reroute", "route"]
    assert ledger_agrees(hub)
    with hub.uow(write=False) as uow:
        loads = repository.loads(uow.connection, admin.tenant_id, policies.today(RoutingPolicy()))
    assert loads == {_location_id(hub, admin, "WH-HZ"): 0, _location_id(hub, admin, "WH-BJ"): 1}


def test_an_order_no_node_may_ship_goes_to_exception_and_keeps_its_stock(hub: Hub, admin: Actor) -> None:
    receive(hub, admin, "VASE", "ST-HZ", 3)  # the store holds it, but does not pack fragile goods
    placed = import_order(hub, admin, lines=[line("VASE", quantity=1)])
    routed = route(hub, admin, placed.order_id)
    assert (routed.outcome, routed.status) == ("unroutable", "exception")
    stored = order(hub, admin, placed.order_id)
    assert stored["status_reason"].startswith("routing: no node that may serve it has enough of VASE")
    assert active(hub, admin, placed.order_id) == [("ST-HZ", "VASE", 1)]
    found = decision(hub, admin, placed.order_id)
    assert found["plan"] is None and found["rejected"]["ST-HZ"] == ["does not pack fragile VASE"]


def test_a_pickup_order_goes_to_its_store(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=1)],
                          shipping_address={**HANGZHOU, "pickup_location": "ST-HZ"})
    routed = route(hub, admin, placed.order_id)
    assert routed.nodes == ["ST-HZ"]
    assert decision(hub, admin, placed.order_id)["plan"]["parcels"][0]["carrier"] is None
    assert active(hub, admin, placed.order_id) == [("ST-HZ", "TEE-RED-M", 1)]


def test_an_order_awaiting_its_payment_is_not_routed_until_paid(hub: Hub, admin: Actor) -> None:
    """The channel holds an unpaid order's stock while the buyer pays: nothing routes it, so nothing can pick or
    ship it, until the payment comes; then the job routes it."""
    placed = import_order(hub, admin, external_id="U-1", lines=[line(quantity=1)], payment_state="pending")
    hub.relay.run_once()
    before = snapshot(hub)
    with pytest.raises(AwaitingPayment):
        route(hub, admin, placed.order_id)
    assert hub.handle(RouteReservedOrders()) == 0
    assert snapshot(hub) == before and order(hub, admin, placed.order_id)["status"] == "reserved"
    import_order(hub, admin, external_id="U-1", lines=[line(quantity=1)], payment_state="paid",
                 updated_at="2030-01-01T00:00:00Z")
    assert hub.handle(RouteReservedOrders()) == 1
    paid = order(hub, admin, placed.order_id)
    assert paid["status"] == "routed" and [r["expires_at"] for r in paid["reservations"] if r["state"] == "active"] == [
        None]


def test_an_unpaid_order_without_a_hold_is_the_platforms_to_ship(hub: Hub, admin: Actor) -> None:
    create_channel(hub, admin, "cod-shop")  # cash on delivery: the platform ships before it is paid
    placed = import_order(hub, admin, channel="cod-shop", lines=[line(quantity=1)], payment_state="pending")
    assert hub.handle(RouteReservedOrders()) == 1
    assert order(hub, admin, placed.order_id)["status"] == "routed"


def test_only_a_reserved_order_is_routed_and_a_refusal_changes_nothing(hub: Hub, admin: Actor) -> None:
    placed = import_order(hub, admin, lines=[line(quantity=1)])
    route(hub, admin, placed.order_id)
    before = snapshot(hub)
    with pytest.raises(InvalidTransition):
        route(hub, admin, placed.order_id)
    assert snapshot(hub) == before


def test_the_routing_job_routes_vip_orders_first(hub: Hub, admin: Actor) -> None:
    plain = import_order(hub, admin, external_id="A-1", lines=[line(quantity=1)])
    vip = import_order(hub, admin, external_id="A-2", lines=[line(quantity=1)], vip=True)
    assert hub.handle(RouteReservedOrders(limit=1)) == 1
    assert (order(hub, admin, vip.order_id)["status"], order(hub, admin, plain.order_id)["status"]) == (
        "routed", "reserved")
    assert hub.handle(RouteReservedOrders()) == 1
    assert order(hub, admin, plain.order_id)["status"] == "routed"
    assert ledger_agrees(hub)


def test_the_tenants_policy_is_stored_and_decides(hub: Hub, admin: Actor) -> None:
    saved = hub.handle(SetRoutingPolicy(actor=admin, document={"nodes": {"WH-HZ": {"excluded": True}}}))
    assert saved.revision == 1
    placed = import_order(hub, admin, lines=[line(quantity=1)])
    assert route(hub, admin, placed.order_id).nodes == ["WH-BJ"]
    assert decision(hub, admin, placed.order_id)["policy_revision"] == 1
    with hub.uow(write=False) as uow:
        view = queries.policy_view(uow.connection, admin.tenant_id)
    assert view["revision"] == 1 and view["policy"]["nodes"]["WH-HZ"]["excluded"] is True


def test_a_policy_that_does_not_validate_is_refused_and_nothing_changes(hub: Hub, admin: Actor) -> None:
    before = snapshot(hub)
    with pytest.raises(InvalidPolicy) as refused:
        hub.handle(SetRoutingPolicy(actor=admin, document={"weights": {"late_day": -5}}))
    assert refused.value.details["problems"][0]["at"] == "weights.late_day"
    assert snapshot(hub) == before


def _location_id(hub: Hub, admin: Actor, code: str) -> Any:
    with hub.uow(write=False) as uow:
        return location_by_code(uow.connection, admin.tenant_id, code).id

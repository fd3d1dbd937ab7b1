"""Routing in batches decides as routing one order per transaction: the same random sale (stock at two warehouses
and a store, orders of one or two lines to four cities, some VIP, some collected at the store, some short) is
imported for two tenants alike; the job routes one tenant's orders one per transaction (batch=1, as it did) and the
other's a few per transaction. Every order ends the same (status, nodes, reason, plan, reservations), the levels
and node loads agree, and each routed order has its decision, its audit entry and its event."""

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.routing import queries
from flexhub.routing.commands import RouteReservedOrders
from flexhub.routing.model import NodeLoad
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, import_order, receive
from flexhub.testing.properties import stateful
from flexhub.testing.snapshots import audit, ledger_differences, levels, order, outbox

tenant_numbers = itertools.count(1)
EVENTS = ("OrderRouted", "OrderUnroutable")
SKUS = {"TEE-RED-M": {"weight_g": 300}, "CAP-BLUE": {"weight_g": 200}, "VASE": {"weight_g": 1500, "fragile": True}}
NODES = {  # code: (kind, province, city, priority, fields)
    "WH-BJ": ("central", "北京", "北京", 10, {"secure": True, "packs_fragile": True, "daily_capacity": 6}),
    "WH-HZ": ("regional", "浙江省", "杭州市", 20, {"packs_fragile": True, "daily_capacity": 3}),
    "ST-SH": ("store", "上海市", "上海市", 30, {"can_pickup": True}),
}
CITIES = [("浙江省", "杭州市"), ("北京", "北京"), ("上海市", "上海市"), ("广东省", "广州市")]

stocks = st.fixed_dictionaries({(sku, node): st.integers(0, 4) for sku in SKUS for node in NODES})
lines = st.lists(st.tuples(st.sampled_from(sorted(SKUS)), st.integers(1, 3)), min_size=1, max_size=2,
                 unique_by=lambda pair: pair[0])
orders = st.lists(st.fixed_dictionaries({"lines": lines, "city": st.sampled_from(CITIES), "vip": st.booleans(),
                                         "pickup": st.booleans()}), min_size=1, max_size=9)


def open_shop(hub: Hub, stock: dict[tuple[str, str], int]) -> Actor:
    admin = create_tenant(hub, f"batches-{next(tenant_numbers)}")
    for sku, fields in SKUS.items():
        create_sku(hub, admin, sku, **fields)
    for code, (kind, province, city, priority, fields) in NODES.items():
        create_location(hub, admin, code, kind, country="CN", province=province, city=city, priority=priority,
                        **fields)
    create_channel(hub, admin, "web")
    for (sku, node), units in stock.items():
        if units:
            receive(hub, admin, sku, node, units)
    return admin


def sell(hub: Hub, admin: Actor, placed: list[dict[str, Any]]) -> dict[str, Any]:
    ids = {}
    for n, spec in enumerate(placed):
        province, city = spec["city"]
        address = {"country": "CN", "province": province, "city": city, "line1": "1 号"}
        if spec["pickup"]:
            address["pickup_location"] = "ST-SH"
        ids[f"B-{n}"] = import_order(hub, admin, external_id=f"B-{n}", vip=spec["vip"], on_shortage="backorder",
                                     shipping_address=address,
                                     lines=[{"sku": sku, "quantity": q, "unit_price": 9900} for sku, q in spec["lines"]]
                                     ).order_id
    return ids


def outcome(hub: Hub, admin: Actor, ids: dict[str, Any]) -> dict[str, Any]:
    """Everything routing decided and left, by external id and codes (the tenants' ids differ)."""
    each = {}
    for external_id, order_id in ids.items():
        seen = order(hub, admin, order_id)
        with hub.uow(write=False) as uow:
            history = queries.decision_view(uow.connection, admin.tenant_id, order_id)["history"] \
                if seen["status"] in ("routed", "exception") else []
            plan = queries.decision_view(uow.connection, admin.tenant_id, order_id)["plan"] if history else None
        each[external_id] = (seen["status"], seen.get("status_reason"),
                             [(d["outcome"], d["nodes"], d["reason"]) for d in history],
                             _without_ids(plan),
                             sorted((r["location"], r["sku"], r["quantity"], r["state"]) for r in seen["reservations"]))
    stock = {sku: {key: (lv["on_hand"], lv["reserved"]) for key, lv in levels(hub, admin, sku).items()}
             for sku in SKUS}
    with hub.uow(write=False) as uow:
        loads = sorted((row.parcels, row.day) for row in uow.connection.execute(
            NodeLoad.__table__.select().where(NodeLoad.tenant_id == admin.tenant_id)))
    return {"orders": each, "stock": stock, "loads": loads}


def _without_ids(document: Any) -> Any:
    if isinstance(document, dict):
        return {k: _without_ids(v) for k, v in document.items() if not k.endswith("_id")}
    if isinstance(document, list):
        return [_without_ids(v) for v in document]
    return document


def findable(hub: Hub, admin: Actor, ids: dict[str, Any]) -> None:
    """Each routed or unroutable order: one decision, one audit entry of the job, one event naming it."""
    decided = {str(i) for i in ids.values() if order(hub, admin, i)["status"] in ("routed", "exception")}
    routed_events = [e.body["order_id"] for e in outbox(hub)
                     if e.type in EVENTS and e.body["order_id"] in decided]
    audited = [e.entity_id for e in audit(hub, admin.tenant_id) if e.action == "order.route"]
    assert sorted(routed_events) == sorted(decided) and sorted(audited) == sorted(decided)


@given(stock=stocks, placed=orders, batch=st.integers(2, 4))
# Each example opens its own two tenants: the hub is shared on purpose.
@settings(stateful(), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_a_batch_routes_each_order_as_one_transaction_each_did(hub: Hub, stock: dict, placed: list, batch: int
                                                                ) -> None:
    one_by_one = open_shop(hub, stock)
    alone = sell(hub, one_by_one, placed)
    hub.handle(RouteReservedOrders(batch=1))
    batched = open_shop(hub, stock)
    together = sell(hub, batched, placed)
    hub.handle(RouteReservedOrders(batch=batch))

    assert outcome(hub, batched, together) == outcome(hub, one_by_one, alone)
    findable(hub, batched, together)
    assert ledger_differences(hub, batched.tenant_id) == []

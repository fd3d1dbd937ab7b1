"""The routing handler timed on a scratch SQLite database: the world's nodes, the stock of the SKUs its
first orders buy, those orders imported (reserved at nodes in priority order), then each routed."""

import time
from typing import Any

from flexhub.bench.report import percentile_ms
from flexhub.bench.routing_world import World
from flexhub.bench.scratch import scratch_database
from flexhub.bootstrap import Hub, bootstrap
from flexhub.inventory import ledger
from flexhub.inventory.ledger import Movement
from flexhub.inventory.rules import Delta
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.schemas import OrderIn
from flexhub.routing.candidates import OrderToRoute
from flexhub.routing.commands import RouteOrder
from flexhub.routing.geo import atlas
from flexhub.settings import Settings
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant


def run_handler_bench(world: World, count: int) -> dict[str, Any]:
    orders = world.orders[:count]
    with scratch_database("sqlite://") as url:
        hub = bootstrap(Settings(database_url=url), combine=False)
        try:
            admin = _open_network(hub, world, orders)
            placed = [hub.handle(ImportOrder(actor=admin, order=_order_in(n, o))) for n, o in enumerate(orders)]
            latencies, routed = [], 0
            for imported in placed:
                started = time.perf_counter()
                outcome = hub.handle(RouteOrder(actor=admin, order_id=str(imported.order_id)))
                latencies.append(time.perf_counter() - started)
                routed += outcome.outcome == "routed"
        finally:
            hub.close()
    seconds = sum(latencies)
    return {"database": "sqlite", "orders": len(latencies), "routed": routed,
            "decisions_per_s": round(len(latencies) / seconds, 1) if seconds else None,
            "p50_ms": percentile_ms(latencies, 0.50), "p99_ms": percentile_ms(latencies, 0.99)}


def _open_network(hub: Hub, world: World, orders: list[OrderToRoute]) -> Actor:
    admin = create_tenant(hub, code="bench-routing", name="Routing benchmark brand")
    create_channel(hub, admin, code="web")
    names = {code: p.name for code, p in atlas().provinces.items()}
    ids: dict[Any, Any] = {}  # the world's ids -> the database's, for nodes and SKUs alike
    for priority, node in enumerate(world.nodes):
        place = node.place
        assert place is not None, node.code  # the world puts every node in a city of the atlas
        ids[node.location_id] = create_location(
            hub, admin, code=node.code, kind=node.kind, priority=priority, country="CN",
            province=names.get(place.province or ""), city=place.city, latitude=place.latitude,
            longitude=place.longitude, can_pickup=node.can_pickup, secure=node.secure,
            packs_fragile=node.packs_fragile, daily_capacity=node.daily_capacity).id
    wanted = {line.sku_id for o in orders for line in o.lines}
    for p in (p for p in world.products if p.sku_id in wanted):
        ids[p.sku_id] = create_sku(hub, admin, code=p.code, weight_g=p.weight_g, fragile=p.fragile,
                                   high_value=p.high_value).id
    _receive(hub, admin, world, ids)
    return admin


def _receive(hub: Hub, admin: Actor, world: World, ids: dict[Any, Any]) -> None:
    """All the stock in one transaction, posted to the ledger like any receipt."""
    movements = [
        Movement((ids[sku_id], ids[location_id], "spot"), "receive", Delta(on_hand=units), admin.name, "bench stock")
        for (location_id, sku_id), units in sorted(world.stock.items(), key=str)
        if sku_id in ids and units > 0
    ]
    with hub.uow() as uow:
        ledger.post(uow, admin.tenant_id, movements, cause="receive")
        uow.commit()


def _order_in(n: int, order: OrderToRoute) -> OrderIn:
    place = order.destination
    province = atlas().provinces[place.province].name if place and place.province else None
    codes = {line.sku_id: line.sku for line in order.lines}
    return OrderIn.model_validate({
        "channel": "web", "external_id": f"ROUTE-{n:06d}", "currency": "CNY", "vip": order.vip,
        "buyer": {"name": "买家"},
        "shipping_address": {"country": "CN", "province": province, "city": place.city if place else None},
        "lines": [{"sku": codes[line.sku_id], "quantity": line.quantity, "unit_price": 9900} for line in order.lines],
    })

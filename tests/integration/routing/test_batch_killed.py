"""The routing job killed with SIGKILL mid-batch, after three of its six orders had their reservations moved (ledger
rows, levels, reservations written in its open transaction): nothing of the batch is left (the database rolls it back
with the process), and the job run again routes all six once each, as if the kill had not happened."""

import multiprocessing
import os
import signal
from typing import Any

from flexhub.bootstrap import Hub
from flexhub.routing.commands import RouteReservedOrders
from flexhub.routing.model import NodeLoad, RoutingDecision
from flexhub.testing.builders import (
    create_channel,
    create_location,
    create_sku,
    create_tenant,
    import_order,
    line,
    receive,
)
from flexhub.testing.routers import route_until_killed
from flexhub.testing.snapshots import audit, ledger_differences, order, reservation_mismatches, snapshot

HANGZHOU = {"country": "CN", "province": "浙江省", "city": "杭州市", "line1": "文三路 90 号"}
ORDERS = 6


def count(hub: Hub, table: Any) -> int:
    with hub.uow(write=False) as uow:
        return len(uow.connection.execute(table.__table__.select()).all())


def test_a_routing_batch_killed_part_way_leaves_nothing_and_is_routed_whole_again(hub: Hub, database_url: str
                                                                                   ) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE-RED-M", weight_g=300)
    create_location(hub, admin, "WH-BJ", "central", country="CN", province="北京", city="北京", priority=10)
    create_location(hub, admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市", priority=20)
    create_channel(hub, admin, "web")
    receive(hub, admin, "TEE-RED-M", "WH-BJ", 10)
    receive(hub, admin, "TEE-RED-M", "WH-HZ", 10)
    ids = [import_order(hub, admin, external_id=f"K-{n}", lines=[line(quantity=1)], shipping_address=HANGZHOU
                        ).order_id for n in range(ORDERS)]  # held at WH-BJ by intake; routing moves them to WH-HZ
    before = snapshot(hub)

    context = multiprocessing.get_context("spawn")
    stopped: Any = context.Queue()
    router = context.Process(target=route_until_killed, args=(database_url, ORDERS, 3, stopped), daemon=True)
    router.start()
    assert stopped.get(timeout=120) == 3  # three orders' stock moved, the transaction open
    os.kill(router.pid, signal.SIGKILL)
    router.join(timeout=30)
    assert router.exitcode == -signal.SIGKILL

    assert snapshot(hub) == before  # levels, reservations, orders, ledger, outbox, audit: as before the batch
    assert count(hub, RoutingDecision) == 0 and count(hub, NodeLoad) == 0

    assert hub.handle(RouteReservedOrders()) == ORDERS
    for order_id in ids:
        routed = order(hub, admin, order_id)
        assert routed["status"] == "routed"
        assert [(r["location"], r["quantity"]) for r in routed["reservations"] if r["state"] == "active"] == [
            ("WH-HZ", 1)]
    assert count(hub, RoutingDecision) == ORDERS
    assert sorted(e.entity_id for e in audit(hub, admin.tenant_id) if e.action == "order.route") == sorted(
        str(i) for i in ids)
    assert ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []

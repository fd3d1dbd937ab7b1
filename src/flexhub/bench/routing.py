"""`flexhub bench routing`: how fast routing decides.

The pure decision routes a generated network's orders one after another (stock taken and node
loads counted as it goes) and times `decide` alone: by the wall clock (`decisions_per_s`, the
percentiles) and by this thread's CPU time (`cpu_decisions_per_s`, which a busy machine's other
processes do not inflate; `python_loop_us` says how busy it was). The handler figure routes imported orders
through `RouteOrder` on a scratch SQLite database: lock, decide, move reservations through the
ledger, store the decision, commit.
"""

import gc
import time
from collections.abc import Callable
from typing import Any

from flexhub.bench.report import machine, percentile_ms
from flexhub.bench.routing_handler import run_handler_bench
from flexhub.bench.routing_simulation import Simulation
from flexhub.bench.routing_strategies import flexhub
from flexhub.bench.routing_world import build_world
from flexhub.routing.policy import PreparedPolicy, RoutingPolicy


def run_routing_bench(*, orders: int, nodes: int, seed: int, handler_orders: int,
                      status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    status(f"building {nodes} nodes and {orders} orders")
    world = build_world(orders=orders, nodes=nodes, seed=seed)
    gc.collect()
    gc.freeze()  # the generated world is long-lived: keep the collector from walking it during the run
    status("deciding")
    tally = Simulation(world).run(flexhub(PreparedPolicy(RoutingPolicy())))
    seconds = sum(tally.latencies)
    report: dict[str, Any] = {
        "scenario": "routing",
        "orders": orders,
        "nodes": len(world.nodes),
        "decisions_per_s": round(len(tally.latencies) / seconds, 1) if seconds else None,
        "p50_ms": percentile_ms(tally.latencies, 0.50),
        "p99_ms": percentile_ms(tally.latencies, 0.99),
        "max_ms": percentile_ms(tally.latencies, 1.0),
        "seconds": round(seconds, 3),
        "cpu_decisions_per_s": round(len(tally.latencies) / tally.cpu_seconds, 1) if tally.cpu_seconds else None,
        "routed": tally.routed,
        "unroutable": tally.unroutable,
        **{k: v for k, v in tally.figures().items() if k != "shipping_cost"},
    }
    if handler_orders:
        status(f"routing {handler_orders} orders through the handler on SQLite")
        report["handler"] = run_handler_bench(world, handler_orders)
    report["python_loop_us"] = python_loop_us()
    report["machine"] = machine()
    return report


def python_loop_us() -> float:
    """Microseconds for `sum(range(1000))`: how fast this machine runs Python right now (about 10 when idle)."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(200):
            sum(range(1000))
        best = min(best, (time.perf_counter() - started) / 200)
    return round(best * 1e6, 1)

"""hot-sku from N processes, each with its own hub and order writer, on one PostgreSQL stock row.

What one row allows across processes: the shop is seeded once, then every process builds its share
of the orders, waits at a common barrier and places them from its coroutines (`concurrency` in
flight per process). The report merges every process's latencies and outcomes; the wall time is
the slowest process's, from the barrier. The stock is audited once, at the end.
"""

import math
import multiprocessing
from collections import Counter
from typing import Any

from flexhub.bench.load import Load, place_orders_async
from flexhub.bench.orders import build_orders
from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import order_report
from flexhub.bench.run import Options, Scenario
from flexhub.bench.scratch import backend_of, scratch_database
from flexhub.bench.shop import open_shop
from flexhub.bootstrap import bootstrap
from flexhub.kernel.messages import Actor
from flexhub.settings import Settings

START_TIMEOUT_S = 300.0


def run_processes(scenario: Scenario, options: Options, processes: int, *, status=lambda _: None) -> dict[str, Any]:
    if backend_of(options.database_url) != "postgresql":
        raise ValueError("--processes measures one PostgreSQL stock row shared by processes; use a PostgreSQL URL")
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no threads or connections inherited
    with scratch_database(options.database_url) as url:
        hub = bootstrap(Settings(database_url=url, **options.combiner), combine=True)
        try:
            status(f"seeding {len(scenario.stock)} SKU(s)")
            shop = open_shop(hub, scenario.stock)
            shares = [scenario.purchases[n::processes] for n in range(processes)]
            barrier, results = context.Barrier(processes), context.Queue()
            status(f"placing {len(scenario.purchases)} orders from {processes} processes")
            children = [context.Process(target=_place_share, name=f"bench-writer-{n}", daemon=True,
                                        args=(url, options.combiner, shop.admin, share, options.concurrency, barrier,
                                              results))
                        for n, share in enumerate(shares)]
            for child in children:
                child.start()
            loads = [results.get(timeout=START_TIMEOUT_S + 60 * math.ceil(len(scenario.purchases) / 10_000))
                     for _ in children]
            for child in children:
                child.join(timeout=30)
            status("auditing the stock")
            with hub.uow(write=False) as uow:
                stock = audit_stock(uow.connection, shop.admin.tenant_id)
        finally:
            hub.close()
    load = Load(seconds=max(figures["seconds"] for figures in loads),
                cpu_seconds=sum(figures["cpu_seconds"] for figures in loads))
    for figures in loads:
        load.latencies.extend(figures["latencies"])
        load.outcomes.update(Counter(figures["outcomes"]))
    return order_report(
        scenario=scenario.name, mode="combined", database="postgresql", concurrency=options.concurrency * processes,
        load=load, stock=stock, skus=len(scenario.stock), processes=processes,
        concurrency_per_process=options.concurrency,
        per_process_orders_per_s=[round(len(f["latencies"]) / f["seconds"], 1) for f in loads],
    )


def _place_share(url: str, combiner: dict[str, Any], admin: Actor, purchases: list[str], concurrency: int,
                 barrier: Any, results: Any) -> None:
    hub = bootstrap(Settings(database_url=url, **combiner), combine=True)
    try:
        commands = build_orders(admin, purchases)
        barrier.wait(timeout=START_TIMEOUT_S)
        load = place_orders_async(hub, commands, concurrency=concurrency)
    finally:
        hub.close()
    results.put({"latencies": load.latencies, "outcomes": dict(load.outcomes), "seconds": load.seconds,
                 "cpu_seconds": load.cpu_seconds})

"""One benchmark run: scratch database, shop, orders placed from C threads, stock audited, report.

A scenario names the stock of each SKU and the SKU each order buys; this module does the rest the
same way for every scenario, per order (`combine=False`) or through the combiner (`combine=True`).
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flexhub.bench.box_cpu import database_cpu_s, per_item_ms, spent
from flexhub.bench.load import place_orders, place_orders_async
from flexhub.bench.orders import build_orders
from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import order_report
from flexhub.bench.scratch import backend_of, scratch_database
from flexhub.bench.shop import open_shop
from flexhub.bootstrap import bootstrap
from flexhub.settings import Settings

MODES = ("per-order", "combined")


@dataclass(frozen=True)
class Scenario:
    name: str
    stock: dict[str, int]  # units received per SKU code
    purchases: list[str]  # the SKU each order buys, in arrival order


@dataclass(frozen=True)
class Options:
    database_url: str
    mode: str
    concurrency: int
    combiner: dict[str, Any]  # Settings overrides: combiner_max_wait_ms, combiner_max_batch


@contextmanager
def _collector_ignoring(prebuilt: object) -> Iterator[None]:
    """Keep the garbage collector from rescanning the prebuilt orders (the bench's, not the hub's) in every
    full collection: tens of thousands of objects a live process would not hold, and pauses of 100 ms."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_scenario(
    scenario: Scenario, options: Options, *, progress: Callable[[int], None] | None = None,
    status: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    if options.mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    database = backend_of(options.database_url)
    status(f"creating a scratch {database} database")
    with scratch_database(options.database_url) as url:
        settings = Settings(database_url=url, **options.combiner)
        hub = bootstrap(settings, combine=options.mode == "combined")
        try:
            status(f"seeding {len(scenario.stock)} SKU(s)")
            shop = open_shop(hub, scenario.stock)
            commands = build_orders(shop.admin, scenario.purchases)
            status(f"placing {len(commands)} orders")
            with _collector_ignoring(commands):
                place = place_orders_async if options.mode == "combined" else place_orders
                backends = database_cpu_s(hub.engine)
                load = place(hub, commands, concurrency=options.concurrency, progress=progress)
                database_s = spent(backends, database_cpu_s(hub.engine))
            status("auditing the stock")
            with hub.uow(write=False) as uow:
                stock = audit_stock(uow.connection, shop.admin.tenant_id)
        finally:
            hub.close()
    return order_report(
        scenario=scenario.name, mode=options.mode, database=database, concurrency=options.concurrency,
        load=load, stock=stock, skus=len(scenario.stock),
        database_cpu_us_per_order=_us(per_item_ms(database_s, len(load.latencies))),
        combiner={"max_wait_ms": settings.combiner_max_wait_ms, "max_batch": settings.combiner_max_batch}
        if options.mode == "combined" else None,
    )


def _us(ms: float | None) -> float | None:
    """PostgreSQL's backends' CPU per order in µs, beside the client's (client_cpu_us_per_order); None on SQLite."""
    return None if ms is None else round(ms * 1000, 1)

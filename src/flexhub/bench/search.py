"""bench search: how long the lists' search box takes over thousands of SKUs, as typed and one edit away.

A scratch database (SQLite or PostgreSQL) holds `skus` SKUs named as a clothing brand names them (TEE-RED-M-0042,
"Tee, red M"), each with stock at one node. Each search is run `repeats` times through the lists the API and pages
use (catalog.sku_list and inventory's stock_list through lists.page_of, one page of 50): a word found as typed (the
reference, measured in the same run), and typos one edit away that find nothing as typed, so the list falls back to
its near matches. The report holds each one's median and p95 in ms, rows found, whether near matches were shown,
and the load average beside them."""

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from flexhub.bench.scratch import backend_of, scratch_database
from flexhub.bench.shop import open_shop
from flexhub.bootstrap import bootstrap
from flexhub.catalog.queries import sku_list
from flexhub.inventory.stock_queries import stock_list
from flexhub.lists import ListSpec, page_of
from flexhub.settings import Settings

KINDS = ("TEE", "HOODIE", "CAP", "SOCK", "JACKET", "SHORTS", "DRESS", "SCARF")
COLOURS = ("RED", "BLUE", "GREY", "BLACK", "WHITE", "GREEN", "PINK", "NAVY")
SIZES = ("S", "M", "L", "XL")
SEARCHES = {  # what is typed → what it is
    "hoodie": "as typed (reference)",
    "hoodie-grey-xl-2001": "as typed, one SKU (reference)",
    "hoodei": "one edit away (two letters swapped)",
    "hoodie-gery-xl-2001": "one edit away, one SKU",
    "jakcet navy": "two words, one swapped",
}


def sku_code(index: int) -> str:
    kind, colour = KINDS[index % len(KINDS)], COLOURS[index // len(KINDS) % len(COLOURS)]
    return f"{kind}-{colour}-{SIZES[index // 64 % len(SIZES)]}-{index:04d}"


def run_search(database_url: str, *, skus: int, repeats: int,
               status: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    with scratch_database(database_url) as url:
        hub = bootstrap(Settings(database_url=url))
        try:
            status(f"seeding {skus} SKUs")
            shop = open_shop(hub, {sku_code(i): 5 for i in range(skus)})
            tenant_id = shop.admin.tenant_id
            lists: dict[str, Callable[[str], ListSpec]] = {
                "skus": lambda q: sku_list(tenant_id, text=q),
                "stock_levels": lambda q: stock_list(tenant_id, text=q)}
            results = [_timed(hub, name, make, typed, what, repeats, status)
                       for name, make in lists.items() for typed, what in SEARCHES.items()]
        finally:
            hub.close()
    return {"scenario": "search", "database": backend_of(database_url), "skus": skus, "repeats": repeats,
            "loadavg": os.getloadavg(), "searches": results}


def _timed(hub: Any, name: str, make: Callable[[str], ListSpec], typed: str, what: str, repeats: int,
           status: Callable[[str], None]) -> dict[str, Any]:
    status(f"{name}: {typed!r}")
    took, found = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        with hub.uow(write=False) as uow:
            found = page_of(uow.connection, make(typed), sort=None, cursor=None, limit=50)
        took.append((time.perf_counter() - began) * 1000)
    assert found is not None
    took.sort()
    return {"list": name, "typed": typed, "what": what, "total": found.total, "near": found.near,
            "median_ms": round(statistics.median(took), 1), "p95_ms": round(took[int(0.95 * (len(took) - 1))], 1),
            "loadavg_1m": round(os.getloadavg()[0], 2)}

"""The shop a benchmark sells from: one tenant, one central warehouse, one channel, SKUs and stock.

Seeded through the service layer (the builders tests use), several commands at a time so that
a thousand SKUs do not wait on a thousand commits one after another.
"""

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, receive

TENANT = "bench"
WAREHOUSE = "WH-CENTRAL"
CHANNEL = "web"
SEEDING_THREADS = 8


@dataclass(frozen=True)
class Shop:
    admin: Actor
    stock: dict[str, int]  # units received per SKU code

    @property
    def units(self) -> int:
        return sum(self.stock.values())


def open_shop(hub: Hub, stock: Mapping[str, int]) -> Shop:
    """Create the tenant, warehouse and channel, then each SKU with its stock received."""
    admin = create_tenant(hub, code=TENANT, name="Benchmark brand")
    create_location(hub, admin, code=WAREHOUSE, kind="central", priority=10)
    create_channel(hub, admin, code=CHANNEL)

    def stock_sku(code: str) -> None:
        create_sku(hub, admin, code=code)
        if stock[code] > 0:
            receive(hub, admin, code, WAREHOUSE, stock[code])

    with ThreadPoolExecutor(max_workers=SEEDING_THREADS, thread_name_prefix="bench-seed") as pool:
        list(pool.map(stock_sku, stock))
    return Shop(admin, dict(stock))

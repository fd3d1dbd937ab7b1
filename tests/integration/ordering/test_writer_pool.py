"""64 callers through the service against a PostgreSQL pool of 4 connections and no overflow: every caller is
answered (no pool time-out), the stock sold once. They queue for the pool, first come first served; a writer
thread holds one connection at a time, so none waits on another thread that waits on it."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from flexhub.bench.oversell import audit_stock
from flexhub.kernel.errors import FlexhubError
from flexhub.testing.builders import create_shop, import_command, line
from flexhub.testing.hubs import running_hub

BUYERS, STOCK = 64, 50
SMALL_POOL = {"db_pool_size": 4, "db_max_overflow": 0, "db_pool_timeout_s": 5.0}


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("combine", [False, True], ids=["per_order", "combined"])
def test_64_callers_through_a_pool_of_4_are_all_answered_and_nothing_is_oversold(database_url: str,
                                                                                 combine: bool) -> None:
    with running_hub(database_url, combine=combine, **SMALL_POOL) as hub:
        admin = create_shop(hub, stock=STOCK)
        commands = [import_command(replace(admin, name=f"buyer-{n}"), external_id=f"POOL-{n:03d}",
                                   lines=[line(quantity=1)], on_shortage="reject") for n in range(BUYERS)]
        start = threading.Barrier(BUYERS)

        def buy(command) -> str:  # type: ignore[no-untyped-def]
            start.wait()
            try:
                return hub.handle(command).status
            except FlexhubError as error:
                return error.code
            except Exception as error:  # noqa: BLE001 - a pool time-out is what this test looks for
                return type(error).__name__

        with ThreadPoolExecutor(max_workers=BUYERS) as threads:
            answers = Counter(threads.map(buy, commands))

        assert answers == {"reserved": STOCK, "inventory.insufficient_stock": BUYERS - STOCK}
        with hub.uow(write=False) as uow:
            stock = audit_stock(uow.connection, admin.tenant_id)
        assert (stock.oversold, stock.reserved, stock.orders_reserved) == (0, STOCK, STOCK)
        if not combine:  # per order, a connection is held only for its order's transaction
            assert hub.engine.pool.checkedout() == 0

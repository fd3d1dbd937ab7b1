"""Two processes' writers selling one PostgreSQL stock row, one killed with SIGKILL part-way: its batch in flight is
rolled back by PostgreSQL with its connection, the other sells on, and imports replayed afterwards sell the row out
exactly. Nothing oversold, nothing half-written (every order with its reservation, ledger and levels agreeing)."""

import multiprocessing
import os
import signal
from typing import Any

import pytest

from flexhub.bootstrap import Hub
from flexhub.ordering.intake import Imported
from flexhub.testing.builders import create_shop, import_command, line
from flexhub.testing.buyers import buy_in_batches
from flexhub.testing.snapshots import ledger_differences, level, reservation_mismatches, snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]
STOCK, EACH = 60, 80


def test_a_writer_process_killed_mid_sale_leaves_nothing_half_written_and_the_row_sells_out_exactly(
        combined_hub: Hub, database_url: str) -> None:
    hub = combined_hub
    admin = create_shop(hub, stock=STOCK)
    context = multiprocessing.get_context("spawn")
    answered: dict[str, Any] = {prefix: context.Queue() for prefix in ("KILLED", "SURVIVOR")}
    buyers = {prefix: context.Process(target=buy_in_batches, args=(database_url, admin, prefix, EACH, queue),
                                      daemon=True) for prefix, queue in answered.items()}
    for process in buyers.values():
        process.start()

    answered["KILLED"].get(timeout=120)  # a first batch answered: the next is on its way
    os.kill(buyers["KILLED"].pid, signal.SIGKILL)
    buyers["KILLED"].join(timeout=30)
    buyers["SURVIVOR"].join(timeout=300)
    assert buyers["KILLED"].exitcode == -signal.SIGKILL and buyers["SURVIVOR"].exitcode == 0

    again = hub.writer.import_many([import_command(admin, external_id=f"{prefix}-{n}", lines=[line(quantity=1)],
                                                   on_shortage="reject") for prefix in buyers for n in range(EACH)])

    sold = [o for o in again if isinstance(o, Imported)]
    assert len(sold) == STOCK and len({o.order_id for o in sold}) == STOCK  # a replay or new, each once
    now = level(hub, admin, "TEE-RED-M")
    assert (now["on_hand"], now["reserved"], now["available"]) == (STOCK, STOCK, 0)
    after = snapshot(hub)
    assert len(after.orders) == STOCK and len(after.reservations) == STOCK
    assert ledger_differences(hub) == [] and reservation_mismatches(hub, admin.tenant_id) == []

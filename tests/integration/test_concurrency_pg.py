"""Invariants 2 and 3 under real concurrency on PostgreSQL: no oversell, no double import, no deadlock."""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any

import pytest
from sqlalchemy import text

from flexhub.bootstrap import Hub
from flexhub.inventory.errors import InsufficientStock
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.intake import Imported
from flexhub.testing.builders import (
    create_location,
    create_shop,
    create_sku,
    import_command,
    line,
    receive,
    receive_transfer,
    transfer,
)
from flexhub.testing.hubs import running_hub
from flexhub.testing.snapshots import ledger_differences, level, reservation_mismatches, snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]


@pytest.fixture(params=[False, True], ids=["per_order", "combined"])
def hub(request: pytest.FixtureRequest, database_url: str) -> Iterator[Hub]:
    with running_hub(database_url, combine=request.param) as hub:
        yield hub


def all_at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    """Every action from its own thread, released together; each one's result or the error it raised."""
    start = threading.Barrier(len(actions))

    def run(action: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            return error

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        return list(pool.map(run, actions))


def import_all_at_once(hub: Hub, commands: list[ImportOrder]) -> list[Imported | Exception]:
    return all_at_once([partial(hub.handle, command) for command in commands])


def deadlocks(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        query = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
        return uow.connection.execute(text(query)).scalar_one()


def test_64_buyers_for_the_last_50_units_never_oversell(hub: Hub) -> None:
    admin = create_shop(hub, stock=50)
    commands = [
        import_command(replace(admin, name=f"buyer-{n}"), external_id=f"FS-{n:03d}", lines=[line(quantity=1)],
                       on_shortage="reject")
        for n in range(64)
    ]

    outcomes = import_all_at_once(hub, commands)

    accepted = [o for o in outcomes if isinstance(o, Imported)]
    assert len(accepted) == 50 and all(o.created and o.status == "reserved" for o in accepted)
    assert len({o.order_id for o in accepted}) == 50
    assert [type(o) for o in outcomes if not isinstance(o, Imported)] == [InsufficientStock] * 14
    lv = level(hub, admin, "TEE-RED-M")
    assert (lv["on_hand"], lv["reserved"], lv["available"]) == (50, 50, 0)
    assert ledger_differences(hub) == []
    assert reservation_mismatches(hub, admin.tenant_id) == []

    before = snapshot(hub)
    replayed = import_all_at_once(hub, commands)

    assert len(before.orders) == 50
    for first, again in zip(outcomes, replayed, strict=True):
        if isinstance(first, Imported):
            assert again == Imported(first.order_id, "reserved", created=False)
        else:
            assert isinstance(again, InsufficientStock)  # still sold out: refused again, nothing stored
    assert snapshot(hub) == before


def test_orders_taking_two_skus_in_opposite_line_order_neither_deadlock_nor_split(hub: Hub) -> None:
    admin = create_shop(hub, stock=20)
    create_sku(hub, admin, "CAP-LOGO")
    receive(hub, admin, "CAP-LOGO", "WH-CENTRAL", 20)
    tee, cap = line("TEE-RED-M", quantity=1), line("CAP-LOGO", quantity=1)
    commands = [
        import_command(replace(admin, name=f"buyer-{n}"), external_id=f"PAIR-{n:03d}",
                       lines=[tee, cap] if n % 2 else [cap, tee], on_shortage="reject")
        for n in range(32)
    ]
    deadlocks_before = deadlocks(hub)

    outcomes = import_all_at_once(hub, commands)

    assert sum(isinstance(o, Imported) for o in outcomes) == 20
    assert [type(o) for o in outcomes if not isinstance(o, Imported)] == [InsufficientStock] * 12
    assert level(hub, admin, "TEE-RED-M")["reserved"] == level(hub, admin, "CAP-LOGO")["reserved"] == 20
    assert ledger_differences(hub) == []
    assert reservation_mismatches(hub, admin.tenant_id) == []
    hub.engine.dispose()  # backends report their statistics as they end
    time.sleep(0.2)
    assert deadlocks(hub) == deadlocks_before


def test_a_webhook_delivered_twice_at_once_for_the_last_unit_is_answered_with_the_order_both_times(hub: Hub) -> None:
    """The second delivery waits on the level lock while the first takes the stock: a replay, not a refusal."""
    admin = create_shop(hub, stock=0)
    for n in range(10):
        receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1)
        command = import_command(admin, external_id=f"LAST-{n}", lines=[line(quantity=1)], on_shortage="reject")

        first, second = import_all_at_once(hub, [command, command])

        assert isinstance(first, Imported) and isinstance(second, Imported), (first, second)
        assert first.order_id == second.order_id and {first.created, second.created} == {True, False}
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 10
    assert ledger_differences(hub) == []


@pytest.mark.parametrize("hub", [False], indirect=True, ids=["per_order"])
def test_a_transfer_received_twice_at_once_is_received_once(hub: Hub) -> None:
    """Another transfer on its way to the same store must not be what the second receipt takes in transit."""
    admin = create_shop(hub, stock=100)
    create_location(hub, admin, "STORE-SH", kind="store")
    for _ in range(5):
        first = transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4})
        second = transfer(hub, admin, "WH-CENTRAL", "STORE-SH", {"TEE-RED-M": 4})
        receipts = all_at_once([partial(receive_transfer, hub, admin, first)] * 2)
        assert sorted(type(r).__name__ for r in receipts) == ["TransferState", "ValidationFailed"]
        assert level(hub, admin, "TEE-RED-M", "STORE-SH")["in_transit"] == 4  # the second is still on its way
        receive_transfer(hub, admin, second)
    assert level(hub, admin, "TEE-RED-M", "STORE-SH")["on_hand"] == 40
    assert ledger_differences(hub) == []

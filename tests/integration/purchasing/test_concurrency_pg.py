"""Receiving under real concurrency on PostgreSQL: a notice received twice at once is received once, and two
notices of one order received at once both count, one after the other."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest

from flexhub.bootstrap import Hub
from flexhub.testing.builders import create_location, create_partner, create_sku, create_tenant
from flexhub.testing.hubs import running_hub
from flexhub.testing.purchasing import act, place, receive_notice, ship, supplier_terms
from flexhub.testing.snapshots import ledger_differences, level

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgres"], indirect=True)]


@pytest.fixture
def hub(database_url: str):
    with running_hub(database_url) as hub:
        yield hub


def all_at_once(actions: list[Callable[[], Any]]) -> list[Any]:
    start = threading.Barrier(len(actions))

    def run(action: Callable[[], Any]) -> Any:
        start.wait()
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            return error

    with ThreadPoolExecutor(len(actions)) as pool:
        return list(pool.map(run, actions))


def test_notices_received_at_once_count_once_each(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_sku(hub, admin, "TEE")
    create_location(hub, admin, "WH-CENTRAL")
    mill = create_partner(hub, admin, "mill", kind="supplier")
    supplier_terms(hub, admin, "mill", "TEE")
    for round_ in range(4):
        order = place(hub, admin, "mill", {"TEE": 10})["id"]
        act(hub, admin, order, "send")
        act(hub, mill, order, "confirm")
        first, second, third = (ship(hub, mill, order, {"TEE": units})["id"] for units in (6, 2, 2))

        twice = all_at_once([partial(receive_notice, hub, admin, first)] * 2)
        both = all_at_once([partial(receive_notice, hub, admin, second), partial(receive_notice, hub, admin, third)])

        assert sorted(getattr(r, "code", "received") for r in twice) == ["purchasing.asn_already_received", "received"]
        assert [r["order_state"] for r in both if isinstance(r, dict)] in (["partly_received", "received"],
                                                                          ["received", "partly_received"])
        assert level(hub, admin, "TEE")["on_hand"] == 10 * (round_ + 1)
    assert ledger_differences(hub) == []

"""A known order imported again: a newer channel version updates it, an older one is ignored."""

from datetime import UTC, datetime, timedelta

import pytest

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import create_channel, create_shop, import_order, line
from flexhub.testing.clocks import START, MovableClock
from flexhub.testing.snapshots import ledger, level, order, snapshot

JUNE_1, JUNE_2, JUNE_3 = (datetime(2025, 6, day, tzinfo=UTC).isoformat() for day in (1, 2, 3))


@pytest.fixture
def admin(any_hub: Hub, clock: MovableClock) -> Actor:
    """Acme with 10 TEE-RED-M, and a `web` channel that holds unpaid orders for 30 minutes."""
    actor = create_shop(any_hub, channel="web-0")
    create_channel(any_hub, actor, "web", unpaid_hold_minutes=30)
    return actor


def reservations(hub: Hub, admin: Actor, order_id) -> list[tuple]:
    return [(r["quantity"], r["state"], r["expires_at"]) for r in order(hub, admin, order_id)["reservations"]]


def test_an_unpaid_order_holds_its_reservation_until_the_channels_hold_lapses(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, payment_state="pending", updated_at=JUNE_1)
    assert reservations(any_hub, admin, imported.order_id) == [(2, "active", START + timedelta(minutes=30))]


def test_payment_clears_the_reservation_expiry(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, payment_state="pending", updated_at=JUNE_1)
    paid = import_order(any_hub, admin, payment_state="paid", updated_at=JUNE_2)
    assert (paid.order_id, paid.status, paid.created) == (imported.order_id, "reserved", False)
    found = order(any_hub, admin, imported.order_id)
    assert (found["payment_state"], found["version"]) == ("paid", 2)
    assert reservations(any_hub, admin, imported.order_id) == [(2, "active", None)]


def test_changed_lines_take_stock_again(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_1)
    rows = len(ledger(any_hub))
    updated = import_order(any_hub, admin, lines=[line(quantity=5)], updated_at=JUNE_2)
    assert updated.status == "reserved"
    assert sorted(reservations(any_hub, admin, imported.order_id)) == [(2, "released", None), (5, "active", None)]
    assert [(r.kind, r.reserved_delta) for r in ledger(any_hub)[rows:]] == [("release", -2), ("reserve", 5)]
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 5
    assert [ln["quantity"] for ln in order(any_hub, admin, imported.order_id)["lines"]] == [5]


def test_changed_lines_that_no_longer_fit_wait_for_stock_and_let_go_of_the_old_ones(any_hub: Hub,
                                                                                    admin: Actor) -> None:
    imported = import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_1)
    updated = import_order(any_hub, admin, lines=[line(quantity=11)], updated_at=JUNE_2)
    assert updated.status == "awaiting_stock"
    assert reservations(any_hub, admin, imported.order_id) == [(2, "released", None)]
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 0


def test_an_older_or_equal_version_is_ignored(any_hub: Hub, admin: Actor) -> None:
    import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_2)
    before = snapshot(any_hub)
    older = import_order(any_hub, admin, lines=[line(quantity=7)], updated_at=JUNE_1, cancelled=True)
    same = import_order(any_hub, admin, lines=[line(quantity=7)], updated_at=JUNE_2)
    assert (older.status, older.created, same.status, same.created) == ("reserved", False, "reserved", False)
    assert snapshot(any_hub) == before


def test_a_version_after_an_unversioned_import_is_newer(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, lines=[line(quantity=2)])
    import_order(any_hub, admin, lines=[line(quantity=3)], updated_at=JUNE_1)
    assert [ln["quantity"] for ln in order(any_hub, admin, imported.order_id)["lines"]] == [3]


def test_a_naive_channel_timestamp_is_taken_as_utc(any_hub: Hub, admin: Actor) -> None:
    import_order(any_hub, admin, lines=[line(quantity=2)], updated_at=JUNE_2)
    before = snapshot(any_hub)
    assert import_order(any_hub, admin, lines=[line(quantity=7)], updated_at="2025-06-01T08:00:00").created is False
    assert snapshot(any_hub) == before
    newer = import_order(any_hub, admin, lines=[line(quantity=7)], updated_at="2025-06-02T08:00:00")
    assert [ln["quantity"] for ln in order(any_hub, admin, newer.order_id)["lines"]] == [7]


def test_the_channel_cancelling_releases_the_reservation(any_hub: Hub, admin: Actor) -> None:
    imported = import_order(any_hub, admin, updated_at=JUNE_1)
    cancelled = import_order(any_hub, admin, updated_at=JUNE_2, cancelled=True)
    assert cancelled.status == "cancelled"
    assert reservations(any_hub, admin, imported.order_id) == [(2, "released", None)]
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 0
    before = snapshot(any_hub)
    assert import_order(any_hub, admin, updated_at=JUNE_3, cancelled=True).status == "cancelled"
    assert snapshot(any_hub) == before

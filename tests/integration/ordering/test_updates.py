"""A known order imported again: a newer channel version updates it, an older one is ignored; newer versions in one
batch are applied together, one refused rolled back alone."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.db.outbox import OutboxEvent
from flexhub.kernel.errors import Conflict, FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import updates
from flexhub.testing.builders import create_channel, create_shop, import_command, import_order, line
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


def test_newer_versions_in_one_batch_stand_alone_when_one_is_refused(any_hub: Hub, admin: Actor,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    first = import_order(any_hub, admin, external_id="N-1", lines=[line(quantity=2)], updated_at=JUNE_1)
    second = import_order(any_hub, admin, external_id="N-2", payment_state="pending", updated_at=JUNE_1)
    apply = updates.apply_newer_version

    def refused_after_writing(uow: Any, actor: Actor, order_id: Any, incoming: Any) -> str:
        status = apply(uow, actor, order_id, incoming)  # its lines replaced, its stock taken again
        if incoming.lines[0].quantity == 3:
            raise Conflict("refused once written")
        return status

    monkeypatch.setattr(updates, "apply_newer_version", refused_after_writing)
    answers = any_hub.writer.import_many([
        import_command(admin, external_id="N-1", lines=[line(quantity=3)], updated_at=JUNE_2),
        import_command(admin, external_id="N-2", payment_state="paid", updated_at=JUNE_2),
        import_command(admin, external_id="N-1", lines=[line(sku="NO-SUCH-SKU")], updated_at=JUNE_3),
        import_command(admin, external_id="N-1", lines=[line(quantity=4)], updated_at=JUNE_3),
    ])

    assert [a.code for a in answers if isinstance(a, FlexhubError)] == ["resource.conflict", "catalog.unknown_sku"]
    assert [(a.order_id, a.status, a.created) for a in answers if not isinstance(a, FlexhubError)] == [
        (second.order_id, "reserved", False), (first.order_id, "reserved", False)]
    paid, changed = order(any_hub, admin, second.order_id), order(any_hub, admin, first.order_id)
    assert (paid["payment_state"], paid["version"]) == ("paid", 2)
    assert ([ln["quantity"] for ln in changed["lines"]], changed["version"]) == ([4], 2)  # 3 never written
    assert level(any_hub, admin, "TEE-RED-M")["reserved"] == 6
    assert sorted(r[:2] for r in reservations(any_hub, admin, first.order_id)) == [(2, "released"), (4, "active")]
    with any_hub.uow(write=False) as uow:  # the refused versions left no event behind, the others one each
        updated = [row.body["order_id"] for row in uow.connection.execute(
            select(OutboxEvent).where(OutboxEvent.type == "OrderUpdated"))]
    assert sorted(updated) == sorted([str(second.order_id), str(first.order_id)])

"""Cancelling an order releases its stock; unpaid orders whose hold lapsed are cancelled by the expiry job."""

import pytest

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ExpireUnpaidOrders, OrderCancellation
from flexhub.ordering.errors import InvalidTransition, UnknownOrder
from flexhub.testing.builders import cancel_order, create_channel, create_shop, import_order, line
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import audit, ledger, level, order, snapshot


@pytest.fixture
def admin(hub: Hub, clock: MovableClock) -> Actor:
    """Acme with 10 TEE-RED-M; `live` holds unpaid orders for 15 minutes, `web` until cancelled."""
    actor = create_shop(hub)
    create_channel(hub, actor, "live", unpaid_hold_minutes=15)
    return actor


def refused(hub: Hub, error: type, action) -> None:
    before = snapshot(hub)
    with pytest.raises(error):
        action()
    assert snapshot(hub) == before


def test_cancelling_releases_the_reservations(hub: Hub, admin: Actor) -> None:
    imported = import_order(hub, admin, lines=[line(quantity=4)])
    assert cancel_order(hub, admin, imported.order_id, reason="out of patience") == OrderCancellation(
        id=str(imported.order_id), status="cancelled")
    found = order(hub, admin, imported.order_id)
    assert (found["status"], found["status_reason"], found["version"]) == ("cancelled", "out of patience", 2)
    assert [(r["quantity"], r["state"]) for r in found["reservations"]] == [(4, "released")]
    release = ledger(hub)[-1]
    assert (release.kind, release.reserved_delta, release.reason, release.reference) == (
        "release", -4, "out of patience", str(imported.order_id))
    assert level(hub, admin, "TEE-RED-M")["available"] == 10
    assert audit(hub)[-1].action == "order.cancel"


def test_an_order_awaiting_stock_can_be_cancelled(hub: Hub, admin: Actor) -> None:
    imported = import_order(hub, admin, lines=[line(quantity=40)])
    rows = len(ledger(hub))
    assert cancel_order(hub, admin, imported.order_id).status == "cancelled"
    assert len(ledger(hub)) == rows  # nothing was held, nothing is released


def test_an_order_is_cancelled_once(hub: Hub, admin: Actor) -> None:
    imported = import_order(hub, admin)
    cancel_order(hub, admin, imported.order_id)
    refused(hub, InvalidTransition, lambda: cancel_order(hub, admin, imported.order_id))


@pytest.mark.parametrize("order_id", ["not-an-id", "01970000-0000-7000-8000-000000000000"])
def test_cancelling_an_unknown_order_is_refused(hub: Hub, admin: Actor, order_id: str) -> None:
    refused(hub, UnknownOrder, lambda: cancel_order(hub, admin, order_id))


def test_an_unpaid_order_is_cancelled_when_its_hold_lapses(hub: Hub, admin: Actor, clock: MovableClock) -> None:
    unpaid = import_order(hub, admin, external_id="L-1", channel="live", payment_state="pending")
    paid = import_order(hub, admin, external_id="L-2", channel="live", lines=[line(quantity=3)])
    held = import_order(hub, admin, external_id="W-1", payment_state="pending", lines=[line(quantity=1)])
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 6

    clock.advance(minutes=14)
    assert hub.handle(ExpireUnpaidOrders()) == 0
    clock.advance(minutes=2)
    assert hub.handle(ExpireUnpaidOrders()) == 1

    found = order(hub, admin, unpaid.order_id)
    assert (found["status"], found["status_reason"]) == ("cancelled", "unpaid: reservation expired")
    assert [r["state"] for r in found["reservations"]] == ["released"]
    assert order(hub, admin, paid.order_id)["status"] == "reserved"
    assert order(hub, admin, held.order_id)["status"] == "reserved"  # `web` holds unpaid orders until cancelled
    assert level(hub, admin, "TEE-RED-M")["reserved"] == 4
    assert (audit(hub)[-1].action, audit(hub)[-1].actor) == ("order.cancel", "job:expire_unpaid_orders")
    assert hub.handle(ExpireUnpaidOrders()) == 0


def test_an_order_paid_in_time_does_not_lapse(hub: Hub, admin: Actor, clock: MovableClock) -> None:
    imported = import_order(hub, admin, channel="live", payment_state="pending", updated_at="2025-06-18T12:00Z")
    clock.advance(minutes=10)
    import_order(hub, admin, channel="live", payment_state="paid", updated_at="2025-06-18T12:10Z")
    clock.advance(hours=1)
    assert hub.handle(ExpireUnpaidOrders()) == 0
    assert order(hub, admin, imported.order_id)["status"] == "reserved"


def test_the_expiry_job_cancels_lapsed_orders_of_every_tenant(hub: Hub, admin: Actor, clock: MovableClock) -> None:
    other = create_shop(hub, "globex")
    create_channel(hub, other, "live", unpaid_hold_minutes=15)
    ours = import_order(hub, admin, channel="live", payment_state="pending")
    theirs = import_order(hub, other, channel="live", payment_state="pending")
    clock.advance(minutes=16)
    assert hub.handle(ExpireUnpaidOrders()) == 2
    assert order(hub, admin, ours.order_id)["status"] == order(hub, other, theirs.order_id)["status"] == "cancelled"
    assert {a.tenant_id for a in audit(hub) if a.action == "order.cancel"} == {admin.tenant_id, other.tenant_id}

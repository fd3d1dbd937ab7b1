"""What reconciliation makes of a platform's figure against ours (sync.reconcile.judge, pure)."""

from datetime import UTC, datetime, timedelta

from flexhub.sync.reconcile import SETTLE_S, judge

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(minutes=5)


def test_the_same_figure_is_in_sync_whatever_the_state():
    assert {judge(7, 7, state, NOW, NOW) for state in ("synced", "pending", "dead")} == {"in_sync"}


def test_another_figure_on_a_settled_listing_is_drift():
    assert judge(3, 7, "synced", LONG_AGO, NOW) == "drift"
    assert judge(9, 7, "synced", LONG_AGO, NOW) == "drift"


def test_a_listing_with_a_push_due_is_waiting_not_drift():
    assert judge(3, 7, "pending", LONG_AGO, NOW) == "waiting"


def test_a_figure_that_moved_a_moment_ago_is_still_settling():
    # The store may have taken off a sale the hub has not imported yet.
    assert judge(3, 7, "synced", NOW - timedelta(seconds=SETTLE_S / 2), NOW) == "settling"
    assert judge(3, 7, "synced", NOW - timedelta(seconds=SETTLE_S), NOW) == "drift"


def test_a_dead_letter_is_told_apart_for_a_person_to_retry():
    assert judge(3, 7, "dead", LONG_AGO, NOW) == "dead"

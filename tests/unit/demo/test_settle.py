"""The demo's wait after the day: it ends when nothing is left, when what is left stops shrinking, or at the
deadline, and returns what is still waiting either way."""

from flexhub.demo.settle import Waiting, settle


def looks(*totals: int):  # type: ignore[no-untyped-def]
    """A reader returning these unshipped counts in turn, then the last one for ever."""
    seen = list(totals)
    return lambda: Waiting(pushes=0, inbound=0, unshipped=seen.pop(0) if len(seen) > 1 else seen[0])


def test_it_waits_until_nothing_is_left() -> None:
    shown: list[int] = []

    left = settle(looks(30, 12, 5, 0), timeout_s=10, poll_s=0, seen=lambda w: shown.append(w.unshipped))

    assert left.total == 0
    assert shown == [30, 12, 5, 0]


def test_a_count_that_stops_shrinking_ends_the_wait_before_the_deadline() -> None:
    left = settle(looks(9, 4, 4), timeout_s=60, stalled_s=0.05, poll_s=0.01)

    assert left == Waiting(pushes=0, inbound=0, unshipped=4)


def test_the_deadline_ends_a_wait_that_keeps_shrinking_slowly() -> None:
    counts = iter(range(10**6, 0, -1))

    left = settle(lambda: Waiting(pushes=next(counts), inbound=1, unshipped=0), timeout_s=0.05, poll_s=0.001)

    assert left.total > 1

"""A clock tests move by hand, installed as the one clock and put back afterwards."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from flexhub.kernel import clock

START = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)  # 618, a flash-sale day


class MovableClock:
    def __init__(self, start: datetime = START) -> None:
        self.at = start

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


@contextmanager
def movable_clock(start: datetime = START) -> Iterator[MovableClock]:
    previous = clock._now  # the clock in force before this test, put back whatever happens
    moving = MovableClock(start)
    clock.set_clock(moving.now)
    try:
        yield moving
    finally:
        clock.set_clock(previous)

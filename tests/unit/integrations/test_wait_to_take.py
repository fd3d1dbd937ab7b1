"""Waiting for a token bucket: a caller sleeps just until the bucket should hold what it asks for (not a whole
token's interval, which lost half of one on every paced call), and one with a deadline gives up with nothing taken."""

from typing import Any

import pytest

from flexhub.integrations import ratelimit
from flexhub.integrations.ratelimit import RateLimit, TokenBucket, wait_to_take


class Clock:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    fake = Clock()
    monkeypatch.setattr(ratelimit.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(ratelimit.time, "sleep", fake.sleep)
    return fake


def test_a_caller_sleeps_only_for_the_missing_share_of_a_token(clock: Clock) -> None:
    bucket = TokenBucket(RateLimit(per_second=10, burst=1))
    assert wait_to_take(bucket)
    clock.now += 0.06  # 0.6 of a token back

    assert wait_to_take(bucket)

    assert clock.slept == [pytest.approx(0.04, abs=0.0011)]
    assert bucket.tokens() == pytest.approx(0.0, abs=0.011)


def test_a_caller_that_would_wait_past_its_deadline_takes_nothing(clock: Clock) -> None:
    bucket = TokenBucket(RateLimit(per_second=10, burst=5))
    assert wait_to_take(bucket, 5)

    assert not wait_to_take(bucket, 3, until=clock.now + 0.2)  # 3 tokens need 0.3 s

    assert clock.slept == [] and bucket.tokens() == pytest.approx(0.0)
    assert wait_to_take(bucket, 3, until=clock.now + 0.5)
    assert clock.slept == [pytest.approx(0.3, abs=0.0011)]

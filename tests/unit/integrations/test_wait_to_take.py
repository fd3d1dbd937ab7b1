"""Waiting for a token bucket: a caller sleeps just until the bucket should hold what it asks for (not a whole
token's interval, which lost half of one on every paced call), and one with a deadline gives up with nothing taken."""

from typing import Any

import pytest

from flexhub.integrations import ratelimit
from flexhub.integrations.ratelimit import Allowance, Prepaid, RateLimit, TokenBucket, wait_to_take


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


def test_an_allowance_takes_a_turns_tokens_at_once_waits_when_dry_and_gives_back_the_rest(clock: Clock) -> None:
    bucket = TokenBucket(RateLimit(per_second=10, burst=5))
    takes = []
    take_up_to = bucket.take_up_to
    bucket.take_up_to = lambda tokens: takes.append(tokens) or take_up_to(tokens)  # type: ignore[method-assign]
    allowance = Allowance(bucket, until=clock.now + 1.0)

    assert all(allowance.spend(1, needed=8) for _ in range(5))  # one take of 5 (the bucket's all) for five calls
    assert takes == [8] and clock.slept == []
    assert allowance.spend(2, needed=3)  # dry: sleeps for the 2 missing, then takes what came back
    assert clock.slept == [pytest.approx(0.2, abs=0.0011)] and allowance.held == 0
    clock.now += 0.3  # 3 tokens back
    assert allowance.spend(1, needed=3) and allowance.held == 2
    allowance.close()
    assert allowance.held == 0 and bucket.tokens() == pytest.approx(2.0, abs=0.02)
    short = Allowance(bucket, until=clock.now + 0.1)
    assert not short.spend(5, needed=5)  # 3 missing need 0.3 s: past `until`
    short.close()
    assert bucket.tokens() == pytest.approx(2.0, abs=0.02)  # what it took while trying goes back


class Counted(TokenBucket):
    """A bucket counting its takes and give-backs: each is a write when the bucket is kept in the database."""

    def __init__(self, limit: RateLimit) -> None:
        super().__init__(limit)
        self.writes = 0

    def take(self, tokens: int = 1, now: float | None = None) -> bool:
        self.writes += 1
        return super().take(tokens, now)

    def take_up_to(self, tokens: int, now: float | None = None) -> int:
        self.writes += 1
        return super().take_up_to(tokens, now)

    def give_back(self, tokens: int) -> None:
        self.writes += 1
        super().give_back(tokens)


def test_a_run_of_calls_takes_its_tokens_in_one_go_and_gives_back_what_it_did_not_spend(clock: Clock) -> None:
    """Five detail fetches (or stock reads) on a bucket holding ten: one take for the five, none given back; two
    calls that fail early leave three tokens, given back when the run ends. Before: a take (a write) per call."""
    bucket = Counted(RateLimit(per_second=1, burst=10))
    with Prepaid(bucket, 5) as prepaid:
        assert all(wait_to_take(prepaid) for _ in range(5))
    assert bucket.writes == 1 and bucket.tokens() == pytest.approx(5.0)

    with Prepaid(bucket, 5) as prepaid:
        assert wait_to_take(prepaid) and wait_to_take(prepaid)  # the run stops after two calls
    assert bucket.writes == 3 and bucket.tokens() == pytest.approx(3.0)


def test_a_run_longer_than_the_bucket_waits_for_the_rest_at_the_buckets_rate(clock: Clock) -> None:
    bucket = Counted(RateLimit(per_second=10, burst=3))
    with Prepaid(bucket, 5) as prepaid:
        assert all(wait_to_take(prepaid) for _ in range(5))
    assert sum(clock.slept) == pytest.approx(0.2, abs=0.01)  # the two past the three held, at 10/s
    assert bucket.tokens() == pytest.approx(0.0, abs=0.02)

"""A platform's or carrier's documented rate limit, the face every token bucket shows, and one held in this
process's memory (the sandbox's platforms; the hub's own buckets are kept in the database, db/jobs/buckets.py)."""

import threading
import time
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The platform's documented limit for the calls we make: a token bucket."""

    per_second: float
    burst: int
    stock_batch: int = 1  # listings one stock-update call may carry


class Bucket(Protocol):
    rate: float

    def take(self, tokens: int = 1) -> bool: ...

    def take_up_to(self, tokens: int) -> int: ...

    def give_back(self, tokens: int) -> None: ...

    def tokens(self) -> float: ...

    def spent(self) -> float: ...


def wait_to_take(bucket: Bucket, tokens: int = 1, *, until: float | None = None) -> bool:
    """Take `tokens`, sleeping just until the bucket should hold them again (not a whole token's interval, which
    loses half of one on every call); False when that would pass `until` (time.monotonic), with nothing taken."""
    while not bucket.take(tokens):
        # A millisecond more, so the bucket surely holds them when asked again (not 0.99999 of a token).
        wait = max(0.005, (tokens - bucket.tokens()) / max(bucket.rate, 0.001) + 0.001)
        if until is not None and time.monotonic() + wait > until:
            return False
        time.sleep(min(wait, 1.0))
    return True


class Allowance:
    """Tokens taken from a bucket ahead of the calls that spend them: a turn of many calls takes what it may need in
    one go (`needed`, the most its remaining calls could spend) rather than a take per call, waits only when the
    bucket runs dry, and gives back what it did not spend (`close`)."""

    def __init__(self, bucket: Bucket, *, until: float | None = None) -> None:
        self._bucket = bucket
        self._until = until
        self.held = 0

    def spend(self, tokens: int, needed: int) -> bool:
        """Spend `tokens` (taking up to `needed` when short), sleeping just until the bucket should hold what is
        missing; False, with nothing spent, when that would pass `until` (time.monotonic)."""
        while self.held < tokens:
            self.held += self._bucket.take_up_to(max(tokens, needed) - self.held)
            if self.held >= tokens:
                break
            wait = max(0.005, (tokens - self.held - self._bucket.tokens()) / max(self._bucket.rate, 0.001) + 0.001)
            if self._until is not None and time.monotonic() + wait > self._until:
                return False
            time.sleep(min(wait, 1.0))
        self.held -= tokens
        return True

    def close(self) -> None:
        self._bucket.give_back(self.held)
        self.held = 0


class Prepaid:
    """A bucket's face over tokens taken ahead for a run of `calls` calls (detail fetches, stock reads, a poll's
    details): a take takes what the rest of the run may need in one go (one write for a bucket kept in the
    database, not one a call), and `close` gives back what the run did not spend. A call tried again takes another."""

    def __init__(self, bucket: Bucket, calls: int) -> None:
        self._bucket = bucket
        self._left = calls
        self.held = 0
        self.rate = bucket.rate

    def __enter__(self) -> "Prepaid":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def take(self, tokens: int = 1) -> bool:
        if self.held < tokens:
            self.held += self._bucket.take_up_to(max(tokens, self._left) - self.held)
        if self.held < tokens:
            return False
        self.held -= tokens
        self._left = max(0, self._left - tokens)
        return True

    def take_up_to(self, tokens: int) -> int:
        granted = min(tokens, self.held) + self._bucket.take_up_to(max(0, tokens - self.held))
        self.held = max(0, self.held - tokens)
        return granted

    def give_back(self, tokens: int) -> None:
        self.held += max(0, tokens)

    def tokens(self) -> float:
        return self.held + self._bucket.tokens()

    def spent(self) -> float:
        return self._bucket.spent()

    def close(self) -> None:
        if self.held:
            self._bucket.give_back(self.held)
        self.held = 0


class TokenBucket:
    def __init__(self, limit: RateLimit, now: float | None = None) -> None:
        self.rate = limit.per_second
        self.capacity = float(limit.burst)
        self._tokens = self.capacity
        self._at = time.monotonic() if now is None else now
        self._lock = threading.Lock()

    def spent(self, now: float | None = None) -> float:
        """The share of the bucket in use: 0 when full, 1 when empty."""
        with self._lock:
            moment = time.monotonic() if now is None else now
            tokens = min(self.capacity, self._tokens + (moment - self._at) * self.rate)
            return round(1 - tokens / self.capacity, 3)

    def tokens(self, now: float | None = None) -> float:
        """What the bucket holds now."""
        with self._lock:
            moment = time.monotonic() if now is None else now
            return min(self.capacity, self._tokens + (moment - self._at) * self.rate)

    def take_up_to(self, tokens: int, now: float | None = None) -> int:
        """Take as many whole tokens as the bucket holds, at most `tokens`; how many."""
        with self._lock:
            moment = time.monotonic() if now is None else now
            self._tokens = min(self.capacity, self._tokens + (moment - self._at) * self.rate)
            self._at = moment
            granted = max(0, min(tokens, int(self._tokens)))
            self._tokens -= granted
            return granted

    def give_back(self, tokens: int) -> None:
        with self._lock:
            self._tokens = min(self.capacity, self._tokens + max(0, tokens))

    def take(self, tokens: int = 1, now: float | None = None) -> bool:
        """Take `tokens` if the bucket holds them; never blocks."""
        with self._lock:
            moment = time.monotonic() if now is None else now
            self._tokens = min(self.capacity, self._tokens + (moment - self._at) * self.rate)
            self._at = moment
            if self._tokens < tokens:
                return False
            self._tokens -= tokens
            return True

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

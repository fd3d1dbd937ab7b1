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

    def spent(self) -> float: ...


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

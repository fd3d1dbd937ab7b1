"""How often one client may write through the public shopper pages (add to a cart, check out), which need no
sign-in: each client address has a token bucket in the database (db/jobs/buckets.py, shared by every API process),
`per_minute` deep and refilled at `per_minute` a minute. A request that finds the bucket empty is refused 429
`stores.too_many_requests` with Retry-After, before anything is read or written, so one client cannot flood a store
with held stock or WeChat Pay with prepay requests. A phone behind a proxy is counted by the address the proxy
forwards (uvicorn's `forwarded_allow_ips`)."""

import math

from sqlalchemy import Engine

from flexhub.db.jobs.buckets import SharedBucket
from flexhub.stores.errors import TooManyRequests

PER_MINUTE = 30  # a shopper adds a line every few seconds at most; a checkout is one request


KEPT = 10_000  # buckets kept made in this process (each one's row exists in the database once made)


class ShopperLimits:
    def __init__(self, engine: Engine, per_minute: float = PER_MINUTE) -> None:
        self._engine, self._per_minute = engine, per_minute
        self._buckets: dict[str, SharedBucket] = {}

    def take(self, client: str) -> None:
        """One request of `client` counted; TooManyRequests (with `retry_after_s`) when its bucket is empty."""
        if self._per_minute <= 0:
            return  # no limit set
        bucket = self._bucket(client)
        if not bucket.take():
            wait_s = max(1, math.ceil((1 - bucket.tokens()) / bucket.rate))
            raise TooManyRequests(f"too many requests from this address: try again in {wait_s} s",
                                  retry_after_s=wait_s)

    def _bucket(self, client: str) -> SharedBucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= KEPT:
                self._buckets.clear()
            bucket = self._buckets[client] = SharedBucket(
                self._engine, f"shopper:{client}"[:120], per_second=self._per_minute / 60, burst=self._per_minute)
        return bucket

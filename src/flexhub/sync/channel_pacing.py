"""A channel's rate limits as the hub keeps them: the token buckets shared by every process through the database,
and the paces of this process counted as each call leaves, for stock calls, order calls and feeds apart where the
platform counts them apart. The stock pusher holds them (sync/push.py) and hands itself to the import's polls and
fetches and to reconciliation as their pacing (channels.deps.Pacing)."""

import threading
import uuid
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine

from flexhub.channels import ORDER_LIMIT, StockFeeds, capable
from flexhub.db.jobs import SharedBucket
from flexhub.integrations.ratelimit import TokenBucket
from flexhub.sync.pacing import channel_bucket, paced

T = TypeVar("T")


class HasEngine(Protocol):
    @property
    def engine(self) -> Engine: ...


class ChannelPacing:
    def __init__(self, desk: HasEngine) -> None:
        self._pacing_desk = desk
        self._buckets: dict[uuid.UUID, SharedBucket] = {}
        self._feed_buckets: dict[uuid.UUID, SharedBucket] = {}
        self._order_buckets: dict[uuid.UUID, SharedBucket] = {}
        self._paces: dict[uuid.UUID, TokenBucket] = {}
        self._order_paces: dict[uuid.UUID, TokenBucket] = {}
        self._counting = threading.Lock()
        self.rate_limited = 0  # 429s received (pushes and reads), for the benchmark

    def bucket(self, channel_id: uuid.UUID, adapter: Any) -> SharedBucket:
        """The channel's token bucket, kept in the database: pushes, reconciliation's reads, polls and fetches share
        the platform's limit, in whichever process they run."""
        return self._kept(self._buckets, channel_id,
                          lambda: channel_bucket(self._pacing_desk.engine, channel_id, adapter))

    def pace(self, channel_id: uuid.UUID, adapter: Any) -> TokenBucket:
        """The channel's pace in this process, counted as each call leaves (pushes and reads alike). The shared
        bucket counts a turn's tokens when they are taken, ahead of the calls; on a loaded machine those calls may leave
        late and then close together, and the platform, which counts arrivals, answers 429 (bench sync at load 25: 24
        of them)."""
        return self._kept(self._paces, channel_id, lambda: TokenBucket(paced(adapter.rate_limit)))

    def order_bucket(self, channel_id: uuid.UUID, adapter: Any) -> SharedBucket:
        """The bucket of the channel's order calls (lists, details): its own where the platform counts them apart
        (capability order_limit), else the channel's one bucket."""
        limits = capable(adapter, ORDER_LIMIT)
        if limits is None:
            return self.bucket(channel_id, adapter)
        return self._kept(self._order_buckets, channel_id,
                          lambda: self._shared(f"channel:{channel_id}:orders", limits.order_rate_limit))

    def order_pace(self, channel_id: uuid.UUID, adapter: Any) -> TokenBucket:
        """The pace of the channel's order calls in this process, counted as each leaves, as `pace` is for stock
        calls: its own where the platform counts order calls apart (capability order_limit), else the channel's one
        pace. The import's detail fetches took a run's tokens of the shared bucket ahead of their calls and left
        unpaced: Taobao answered one of them 429 in a flash sale (bench sync, session 10)."""
        limits = capable(adapter, ORDER_LIMIT)
        if limits is None:
            return self.pace(channel_id, adapter)
        return self._kept(self._order_paces, channel_id, lambda: TokenBucket(paced(limits.order_rate_limit)))

    def feed_bucket(self, channel_id: uuid.UUID, feeds: StockFeeds) -> SharedBucket:
        """The bucket of the channel's feeds, where the platform takes figures in feeds (capability stock_feeds)."""
        return self._kept(self._feed_buckets, channel_id,
                          lambda: self._shared(f"channel:{channel_id}:feeds", feeds.feed_rate))

    def budget_use(self, channel_id: uuid.UUID) -> float | None:
        """The share of the channel's rate-limit bucket spent right now (None: not pushed to yet)."""
        with self._counting:
            bucket = self._buckets.get(channel_id)
        return None if bucket is None else bucket.spent()

    def note_rate_limited(self) -> None:
        with self._counting:
            self.rate_limited += 1

    def _kept(self, kept: dict[uuid.UUID, T], channel_id: uuid.UUID, make: Callable[[], T]) -> T:
        """The channel's entry of `kept`, made once (by whichever thread asks first)."""
        with self._counting:
            if channel_id not in kept:
                kept[channel_id] = make()
            return kept[channel_id]

    def _shared(self, name: str, rate: Any) -> SharedBucket:
        limit = paced(rate)
        return SharedBucket(self._pacing_desk.engine, name, per_second=limit.per_second, burst=limit.burst)

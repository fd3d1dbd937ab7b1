"""How fast each channel's figures go: a little under its platform's documented rate, from one bucket per channel
shared by every process, and how many figures one channel's turn may take so that no channel keeps the others out
of a turn."""

import math
import uuid
from typing import Any

from sqlalchemy import Engine

from flexhub.channels import STOCK_FEEDS, adapters, capable
from flexhub.db.jobs import SharedBucket
from flexhub.integrations.ratelimit import RateLimit

PACE = 0.9  # share of a platform's documented rate the pusher uses
TURN_S = 0.5  # how long a channel's turn waits for its bucket to refill before the rest waits for the next turn


def channel_bucket(engine: Engine, channel_id: uuid.UUID, adapter: Any) -> SharedBucket:
    """The one bucket of a channel's platform limit, shared by every process."""
    limit = paced(adapter.rate_limit)
    return SharedBucket(engine, f"channel:{channel_id}", per_second=limit.per_second, burst=limit.burst)


def turn_caps(limit: int) -> dict[str, int]:
    """Per platform, the most figures one channel's turn can send: its bucket full (burst) and refilled for `TURN_S`,
    each call carrying its batch; a platform that takes feeds, a whole feed. At most `limit`."""
    caps = {}
    for platform, adapter in adapters().items():
        rate = paced(adapter.rate_limit)
        cap = math.ceil((rate.burst + rate.per_second * TURN_S) * rate.stock_batch)
        if (feeds := capable(adapter, STOCK_FEEDS)) is not None:
            cap = max(cap, feeds.feed_limit)
        caps[platform] = max(1, min(limit, cap))
    return caps


def paced(limit: RateLimit) -> RateLimit:
    """A little under the documented limit: requests arrive with jitter, and the platform counts arrivals."""
    return RateLimit(limit.per_second * PACE, max(1, math.floor(limit.burst * PACE)), limit.stock_batch)

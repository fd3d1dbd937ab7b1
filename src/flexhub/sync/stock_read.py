"""Reading listings' stock as a platform holds it: the adapter's read calls, sent paced and retried.

Used by reconciliation and by the pusher before a push to a platform that takes only differences. Each
call goes through `integrations.paced.send_paced` on the channel's bucket (the pusher's own, so reads and
pushes share the platform's limit), and waits for the channel's pace in this process as it leaves, as a push does
(StockPusher.pace): the bucket counts a run's tokens when they are taken, the platform counts arrivals, and reads
sent back to back right after the first sync's pushes drew 429s (bench sync: 0-2 a run, Shopee and Douyin).
Never called inside a transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx2

from flexhub.channels import ListingRef
from flexhub.integrations.paced import RetryableAnswer, send_paced
from flexhub.integrations.ratelimit import Bucket, Prepaid, wait_to_take


@dataclass
class StockReading:
    figures: dict[str, int] = field(default_factory=dict)  # external SKU → the platform's figure
    errors: list[str] = field(default_factory=list)  # reads that failed for good, with why
    rate_limited: int = 0  # 429s received on the way


def read_stock(client: httpx2.Client, adapter: Any, credentials: dict[str, str], refs: Sequence[ListingRef],
               bucket: Bucket, *, pace: Bucket | None = None,
               on_rate_limited: Callable[[], None] = lambda: None) -> StockReading:
    """The platform's figure for each listing it answers for; failures are collected, not raised."""
    reading = StockReading()
    try:
        reads = adapter.stock_read_requests(credentials, refs)
    except Exception as error:  # a listing the adapter cannot name: nothing to read for any of them
        reading.errors.append(f"cannot build the read: {error}")
        return reading
    with Prepaid(bucket, len(reads)) as prepaid:  # the reads' tokens in one take, not a write each
        for read in reads:
            if pace is not None:
                wait_to_take(pace)
            try:
                payload = send_paced(client, read.request, prepaid,
                                     on_rate_limited=lambda: _count(reading, on_rate_limited))
                reading.figures.update(adapter.parse_stock(payload, read.listings))
            except (RetryableAnswer, httpx2.HTTPError, ValueError, KeyError, TypeError) as error:
                reading.errors.append(f"{', '.join(ref.external_sku for ref in read.listings)}: {error}")
    return reading


def _count(reading: StockReading, on_rate_limited: Callable[[], None]) -> None:
    reading.rate_limited += 1
    on_rate_limited()



"""A store's first figures, read before they are pushed: a brand connecting a store it already sells in finds its
quantities there, most of them what the hub would push. Where reading them takes fewer calls than pushing them
(Amazon: searchListingsItems reads 20 SKUs a call, patchListingsItem sets one), a channel's first figures are read
in batches, paced as every read is (stock_read), and only those the store shows differently are pushed; the ones it
already shows are confirmed as of the read. A platform whose push carries as many listings as a read (Shopify, the
generic shop) is pushed to at once, as are first figures enough for a feed, and a read that fails leaves its rows
to be pushed as before.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import httpx2

from flexhub.channels import STOCK_FEEDS, ListingRef, capable
from flexhub.integrations.ratelimit import Bucket
from flexhub.sync.push_calls import push_of
from flexhub.sync.stock_read import read_stock

READS_AT_MOST = 0.5  # of the pushes' calls: read first only where that saves at least half of them


@dataclass(frozen=True, slots=True)
class FirstRead:
    shown: list[Any]  # first figures the store already shows: confirmed without a push
    rows: list[Any]  # what is left to push, each first figure read carrying the store's figure as the one known
    read: dict[Any, int]  # listing → the figure the store was read to hold


def first_figures(rows: Sequence[Any]) -> list[Any]:
    """Rows whose figure was never pushed nor read (a listing's first), and not failed since."""
    return [row for row in rows if row.pushed_quantity is None and row.attempts == 0]


def worth_reading(adapter: Any, credentials: dict[str, str], first: Sequence[Any]) -> bool:
    """Reading these first takes at most READS_AT_MOST of the calls pushing them would. Enough for a feed (Amazon's
    JSON_LISTINGS_FEED from 500) go in one feed call: reading them first would only add calls (2,000 listings: 100
    reads, 22 s at Amazon's pace, before the feed)."""
    feeds = capable(adapter, STOCK_FEEDS)
    if not first or (feeds is not None and len(first) >= feeds.feed_threshold):
        return False
    try:
        reads = adapter.stock_read_requests(credentials, [_ref(row) for row in first])
        pushes = adapter.stock_requests(credentials, [push_of(row, True) for row in first])
    except Exception:  # a listing either call cannot express: pushed as before, where that is told apart
        return False
    return len(reads) <= READS_AT_MOST * len(pushes)


def read_first_figures(client: httpx2.Client, adapter: Any, credentials: dict[str, str], rows: Sequence[Any],
                       bucket: Bucket, pace: Bucket, on_rate_limited: Callable[[], None]) -> FirstRead:
    """The store's figure of each first figure in `rows`, where reading them is worth it (else nothing read)."""
    first = first_figures(rows)
    if not worth_reading(adapter, credentials, first):
        return FirstRead([], list(rows), {})
    reading = read_stock(client, adapter, credentials, [_ref(row) for row in first], bucket, pace=pace,
                         on_rate_limited=on_rate_limited)
    known = {row.listing_id: reading.figures[row.external_sku] for row in first
             if row.external_sku in reading.figures}
    shown = [row for row in first if known.get(row.listing_id) == row.quantity]
    settled = {row.listing_id for row in shown}
    left = [SimpleNamespace(**{**row._asdict(), "pushed_quantity": known[row.listing_id], "sold_since": 0})
            if row.listing_id in known else row for row in rows if row.listing_id not in settled]
    return FirstRead(shown, left, known)


def _ref(row: Any) -> ListingRef:
    return ListingRef(row.external_sku, row.external_item_id, row.external_location_id)

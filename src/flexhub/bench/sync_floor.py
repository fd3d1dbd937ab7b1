"""The fastest the platforms' published limits let a first sync and a full reconciliation go: `bench sync`'s floor.

Per channel, the calls the hub's own adapter builds for every listing (pushes for the first sync — after a read of
each figure where the platform takes differences — and reads for the reconciliation), against the platform's
documented token bucket for those calls (`rate_limit`: `burst` at once, then `per_second`):

    floor(channel) = max(0, calls - burst) / per_second

A platform that takes bulk feeds (`stock_feeds`, Amazon) sends a first sync of `feed_threshold` or more listings as
feeds of `feed_limit`: its floor is the feeds' own bucket (`feed_rate`) plus the platform's processing time of one
feed (the sandbox's; real feeds take minutes). Channels are independent hosts with their own limits and are served
side by side, so the floor of the whole run is the slowest channel's.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flexhub.channels import STOCK_FEEDS, ListingRef, StockPush, adapter_for, capable
from flexhub.integrations.ratelimit import RateLimit
from flexhub.sync.published_rounds import published_round_s


def calls_floor_s(calls: int, limit: RateLimit) -> float:
    return max(0, calls - limit.burst) / limit.per_second


def initial_sync_floor_s(platform: str, credentials: Mapping[str, str], refs: Sequence[ListingRef],
                         processing_s: Callable[[str], float]) -> float:
    adapter = adapter_for(platform)
    feeds = capable(adapter, STOCK_FEEDS)
    if feeds is not None and len(refs) >= feeds.feed_threshold:
        return calls_floor_s(math.ceil(len(refs) / feeds.feed_limit), feeds.feed_rate) + processing_s(platform)
    pushes = [StockPush(ref.external_sku, 1, ref.external_item_id, ref.location_id, previous_quantity=0)
              for ref in refs]
    calls = len(adapter.stock_requests(credentials, pushes))
    if adapter.stock_by_difference:
        calls += len(adapter.stock_read_requests(credentials, refs))
    return calls_floor_s(calls, adapter.rate_limit)


def sale_round_s(platform: str, credentials: Mapping[str, str], refs: Sequence[ListingRef]) -> float:
    """A round of a sale that moves every listing: the channel's published round over all its listings, as the
    planner reckons it for those moving (sync.published_rounds). Its whole-sale lag cannot stay under it once more
    listings move within 2 s than one round's 2 s of calls carry."""
    return published_round_s(platform, credentials, refs)


def reconcile_floor_s(platform: str, credentials: Mapping[str, str], refs: Sequence[ListingRef]) -> float:
    adapter = adapter_for(platform)
    return calls_floor_s(len(adapter.stock_read_requests(credentials, refs)), adapter.rate_limit)


def channel_floors(stores: Sequence[Any], processing_s: Callable[[str], float]) -> dict[str, dict[str, float]]:
    """Each store's floors (`initial_sync`, `reconcile`) by its code; `stores` as the sandbox keeps them."""
    found = {}
    for store in stores:
        refs = [ListingRef(x.sku, x.item_id, x.location_id) for x in store.listings.values()]
        credentials = dict(store.credentials)
        found[store.code] = {
            "initial_sync": round(initial_sync_floor_s(store.platform.name, credentials, refs, processing_s), 3),
            "reconcile": round(reconcile_floor_s(store.platform.name, credentials, refs), 3),
            "sale_round": round(sale_round_s(store.platform.name, credentials, refs), 3)}
    return dict(sorted(found.items()))


def floors(stores: Sequence[Any], processing_s: Callable[[str], float]) -> dict[str, float]:
    """The run's floors, each the slowest channel's."""
    by_channel = channel_floors(stores, processing_s).values()
    return {kind: max((floor[kind] for floor in by_channel), default=0.0) for kind in ("initial_sync", "reconcile")}

"""A channel's round as its platform's published limits give it: how long sending one figure to each of a set of its
listings takes at the pace the pusher keeps, before any push of theirs is measured.

    published round = calls the channel's adapter builds for those figures (adapter.stock_requests)
                      / (the documented rate x PACE)

The calls are the adapter's own: a SKU a call (Amazon's patchListingsItem, WeChat, JD), an item's SKUs a call (Taobao's
skus.quantity.update, Douyin, Shopee), a parent's variations a call (WooCommerce), hundreds a call (Shopify's 250,
the generic API's 500). The burst is not counted: in a sale the bucket is spent by the round before. Nothing else is
added: feeds take minutes to process and carry no sale's figures (the pusher sends those by single calls), the pusher
hands the adapter batches cut at an item's edge (the same calls), and reads before a difference (Kuaishou) are only for
a figure never pushed or after a failed push, not a sale's.

The planner holds back for each channel's round (allocation.HoldBack): the longer of the round its pushes measured and
this one over the channel's listings that are moving now (`PublishedRounds`): those of SKUs that sold within the
pace's window, and any SKU a caller names (an announced sale's). So a store quiet for a minute, whose measured round is
0, holds back from its first figures of a sale for the round its limits allow.
"""

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import Connection

from flexhub.channels import ListingRef, StockPush, adapter_for
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.sync import queries
from flexhub.sync.pacing import PACE

log = structlog.get_logger(__name__)
GROWN_S = 0.25  # SKUs starting to move are counted at most this often (the first at once)
# The SKUs a caller names as moving for a tenant now (an announced sale's), read with the planning turn's connection.
NamedMoving = Callable[[Connection, uuid.UUID, datetime], Iterable[uuid.UUID]]


def published_round_s(platform: str, credentials: Mapping[str, str], refs: Sequence[ListingRef]) -> float:
    """Seconds to send one figure to each of these listings of a channel on `platform`: the calls its adapter builds
    for them over the documented rate at the pusher's pace (PACE)."""
    if not refs:
        return 0.0
    adapter = adapter_for(platform)
    # A figure and a different one it was (a difference, Kuaishou's, is sent only when there is one).
    pushes = [StockPush(ref.external_sku, 1, ref.external_item_id, ref.location_id, previous_quantity=0)
              for ref in refs]
    return len(adapter.stock_requests(credentials, pushes)) / (adapter.rate_limit.per_second * PACE)


@dataclass(frozen=True, slots=True)
class _Kept:
    at: float  # time.monotonic() when reckoned
    moving: frozenset[uuid.UUID]  # the SKUs it was reckoned over
    rounds: dict[uuid.UUID, float]  # channel → published round


class PublishedRounds:
    """Each of a tenant's channels' published round over the listings of the SKUs moving now, kept between planning
    turns: reckoned again after `fresh_s`, or sooner when SKUs it did not count start moving (at once after a
    reckoning over none, else GROWN_S after the last), so a sale's first figures count its first SKUs. A flash sale
    plans many turns a second; most reuse what is kept."""

    def __init__(self, vault: Vault, named: NamedMoving | None = None) -> None:
        self._vault = vault
        self._named = named
        self._kept: dict[uuid.UUID, _Kept] = {}
        self._named_kept: dict[uuid.UUID, tuple[float, frozenset[uuid.UUID]]] = {}
        self._opened: dict[str, dict[str, str]] = {}  # sealed credentials → opened
        self._unbuildable: set[uuid.UUID] = set()  # channels whose calls cannot be built, said once

    def rounds(self, connection: Connection, tenant_id: uuid.UUID, selling: Iterable[uuid.UUID],
               fresh_s: float) -> dict[uuid.UUID, float]:
        """Channel → its published round over the listings of `selling` SKUs and those named as moving."""
        now = time.monotonic()
        moving = frozenset(selling) | self._named_now(connection, tenant_id, now, fresh_s)
        kept = self._kept.get(tenant_id)
        if kept is not None and now - kept.at < fresh_s and (moving <= kept.moving or (
                kept.moving and now - kept.at < GROWN_S)):
            return kept.rounds
        rounds = self._reckon(connection, tenant_id, moving) if moving else {}
        self._kept[tenant_id] = _Kept(now, moving, rounds)
        return rounds

    def _named_now(self, connection: Connection, tenant_id: uuid.UUID, now: float,
                   fresh_s: float) -> frozenset[uuid.UUID]:
        if self._named is None:
            return frozenset()
        read_at, named = self._named_kept.get(tenant_id, (float("-inf"), frozenset()))
        if now - read_at >= fresh_s:
            named = frozenset(self._named(connection, tenant_id, clock.now()))
            self._named_kept[tenant_id] = (now, named)
        return named

    def _reckon(self, connection: Connection, tenant_id: uuid.UUID,
                moving: frozenset[uuid.UUID]) -> dict[uuid.UUID, float]:
        refs: dict[tuple, list[ListingRef]] = defaultdict(list)
        for row in queries.moving_listings(connection, tenant_id, set(moving)):
            refs[(row.channel_id, row.platform, row.credentials)].append(
                ListingRef(row.external_sku, row.external_item_id, row.external_location_id))
        rounds = {}
        for (channel_id, platform, sealed), listings in refs.items():
            try:
                rounds[channel_id] = published_round_s(platform, self._open(sealed), listings)
            except Exception as error:  # as the pusher would find: nothing it can send, nothing to hold back for
                if channel_id not in self._unbuildable:
                    self._unbuildable.add(channel_id)
                    log.warning("no published round: the channel's stock calls cannot be built",
                                channel_id=str(channel_id), error=str(error))
        return rounds

    def _open(self, sealed: str | None) -> dict[str, str]:
        key = sealed or ""
        if key not in self._opened:
            self._opened[key] = self._vault.open(sealed)
        return self._opened[key]

"""What each store may show: available stock divided among listings by their policies. Pure.

Carve-outs come first, in priority order: a fixed quota (a live session's stock) or a percentage of
what is available, each taken from what is left. Listings in `shared` mode then all show what
remains after every carve-out: they compete for the same units, which the reservation guard
settles, so it is promised once. A buffer holds units back from a listing; a cap bounds it.
So the units promised (carve-outs plus the shared remainder) never exceed what exists, and no
listing shows more than its policy allows.

Holding back for a store's round (`HoldBack`). A shared listing's figure is decided now and shown until the next
one reaches its store: its channel's round, the time a figure takes from being decided to being confirmed by the
platform. Measured (`channel_rounds`): the 90th percentile of the channel's confirmed pushes of the last minute, or the
age of its oldest figure still waiting, whichever is longer. Published (sync.published_rounds): the calls its adapter
builds to send one figure to each of its listings moving now (their SKUs sold within `sales_window_s`, or named as
moving by a caller: an announced sale's) over its platform's documented rate at the pusher's pace. The round is the
longer of the two: a store quiet for a minute measures 0, and held nothing back from its first figures of a sale,
which then took a round, and a second round followed with the held ones (bench sync, session 12: Taobao, Douyin and
Shopee's whole-sale p99 5.8-11.2 s against 4.2-6.2 s without holding back).

Meanwhile the SKU's other stores keep selling the same units, so a store showing everything that remains shows more
than the hub has for most of its round. Each shared listing therefore holds back what the SKU is likely to sell within
its own channel's round: the `quantile` (0.99) of a Poisson count of sales at the SKU's pace over that round, not the
mean, which half of the rounds exceed. The pace is the SKU's units sold within the last `sales_window_s` (30 s) over
the time since the first of them (no less than `window_s`, 5 s): a sale beginning counts at once, a steady one is not
swung by each burst. It is every store's sales of the SKU, the store's own included, as the hub reads it from how far
the SKU's figure fell (which store sold is not known there), so a store holds back its own share too (an eighth in an
eight-store sale). A held figure is lowered at once and raised only by a round's mean sales or more (`steadied`): each
change is a push, and the slow stores' rounds are their pushes. Orders kept but not yet imported (the hub behind by
more than `behind_s`) have sold units already: every store holds back the part of them likely to be this SKU's.

What that gives, at bench sync's pace of 0.28 units a second a SKU (5,000 orders over 200 SKUs in 90 s): a store
taking the catalog in one call (a round of a fraction of a second) holds back 1 unit (a round of 0.3 s still has an
8 % chance of a sale in it; none below 0.036 s); one taking an item's SKUs a call at 9 calls/s (Taobao, Douyin,
Shopee: 5.6 s to send 200 SKUs' figures) 5; one taking a SKU a call (WeChat, 22.2 s) 13, Amazon's patches (44.4 s)
21; at quiet times (no sales in the last 30 s) nothing.
A channel setting bounds the round it holds back for (`hold_back_s`; 0: nothing held back).

The listing holding back least holds back at most what the other shared listings show: they cannot sell more
than that before its next figure, and so the last units are always shown somewhere, at the store told soonest,
rather than hidden from every store while the SKU still sells. This is the one rule for quiet times and flash sales
alike: a spike is a fast pace, and it holds back more at every store, most at the slow ones.

The policies themselves (a channel's or listing's setting, and its validation) are the channels' own
(flexhub.channels.allocation.Policy).
"""

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import NormalDist
from typing import Any, TypeVar

from flexhub.channels import AllocationPolicy as Policy
from flexhub.kernel.clock import as_utc

K = TypeVar("K", bound=Hashable)  # what a figure or quota belongs to: a listing's id, mostly
ROUND_QUANTILE = 0.9  # of a channel's confirmed pushes' lags, its round
ROUND_WINDOW_S = 60.0  # the confirmed pushes that make a channel's round: those of the last minute
EXACT_UP_TO = 500.0  # Poisson means past this take the normal approximation
MAX_LEAD_S = 900.0  # no listing holds back for an announced sale longer than this before it starts


@dataclass(frozen=True, slots=True)
class HoldBack:
    quantile: float = 0.99  # of the sales within a store's round, held back from its figure; 0: nothing held back
    window_s: float = 5.0  # the pace is the sales over the time since the first of them within sales_window_s,
    sales_window_s: float = 30.0  # but no less than window_s
    behind_s: float = 0.5  # a hub behind on its orders by more than this holds back the waiting ones
    # A listing holds back for a sale announced ahead (sync/announced.py) from this many of its channel's rounds
    lead_rounds: float = 2.0
    lead_s: float = 15.0  # and this long before the sale starts

    def lead(self, round_s: float) -> float:
        """How long before an announced sale starts a listing whose channel has this round begins holding back for
        it: time for its held figure to reach the store, a round that may be under way and its own, and a margin."""
        return min(MAX_LEAD_S, max(0.0, round_s) * self.lead_rounds + self.lead_s)

    def units(self, policy: Policy, per_second: float, round_s: float, waiting: float = 0.0) -> int:
        """What a listing with this policy holds back: the `quantile` of a Poisson count at `per_second` over its
        channel's round (`round_s`, bounded by the policy's `hold_back_s`), and no fewer than the `waiting` orders
        likely this SKU's. Nothing for a carve-out, with `hold_back_s` 0, or with the quantile 0."""
        if policy.mode != "shared" or policy.hold_back_s == 0 or self.quantile <= 0:
            return 0
        mean = max(0.0, per_second) * self.horizon(policy, round_s)
        return max(poisson_quantile(mean, self.quantile), math.ceil(max(0.0, waiting)))

    @staticmethod
    def horizon(policy: Policy, round_s: float) -> float:
        """The round a listing holds back for: its channel's, bounded by the policy's `hold_back_s`."""
        return max(0.0, round_s) if policy.hold_back_s is None else min(max(0.0, round_s), policy.hold_back_s)


def steadied(current: int | None, wanted: int, held: int, mean: float) -> int:
    """The figure a listing holding units back goes to from `current` (what it was last given): `wanted` when lower
    or when nothing is held back any more, but a rise by fewer units than its round's mean sales (`mean`, at least
    1) keeps `current`. A SKU's hold moves by a unit whenever a sale enters or leaves the pace's window; raised at
    each such move, a slow store's figures took more pushes than the sales did, and its round grew with them."""
    if current is None or held <= 0 or wanted <= current:
        return wanted
    return current if wanted - current < max(1, math.ceil(mean)) else wanted


def poisson_quantile(mean: float, quantile: float) -> int:
    """The fewest units n with P(N <= n) >= `quantile`, N a Poisson count with this mean (0 for a mean of 0)."""
    if mean <= 0 or quantile <= 0:
        return 0
    quantile = min(quantile, 1 - 1e-12)
    if mean > EXACT_UP_TO:  # the normal approximation, with the continuity correction
        return max(0, math.ceil(mean + NormalDist().inv_cdf(quantile) * math.sqrt(mean) - 0.5))
    term = math.exp(-mean)
    total, units = term, 0
    while total < quantile:
        units += 1
        term *= mean / units
        total += term
    return units


def channel_rounds(pushes: Iterable[Any], now: datetime, quantile: float = ROUND_QUANTILE) -> dict[Any, float]:
    """Each channel's round in seconds, from its push rows (channel_id, state, changed_at, pushed_at, as
    queries.push_rounds reads them): the `quantile` of decided -> confirmed over its figures confirmed lately (synced
    rows), or the age of its oldest figure still waiting (pending or feeding), whichever is longer. A channel whose
    figures wait longer than its last confirmed ones took (a sale beginning) counts the wait at once."""
    confirmed: dict[Any, list[float]] = {}
    waiting: dict[Any, float] = {}
    for row in pushes:
        if row.state == "synced" and row.pushed_at is not None:
            confirmed.setdefault(row.channel_id, []).append(max(0.0, (as_utc(row.pushed_at) - as_utc(row.changed_at))
                                                                .total_seconds()))
        elif row.state in ("pending", "feeding"):
            age = max(0.0, (now - as_utc(row.changed_at)).total_seconds())
            waiting[row.channel_id] = max(waiting.get(row.channel_id, 0.0), age)
    rounds = {}
    for channel in {*confirmed, *waiting}:
        lags = sorted(confirmed.get(channel, []))
        measured = lags[min(len(lags) - 1, int(quantile * len(lags)))] if lags else 0.0
        rounds[channel] = max(measured, waiting.get(channel, 0.0))
    return rounds


def allocate(available: int, policies: Mapping[K, Policy],
             held_back: Mapping[K, int] | None = None) -> dict[K, int]:
    """The figure each listing shows, given the units available to all of them. Each shared listing shows what the
    carve-outs leave less what it holds back (`held_back`, by listing: HoldBack.units), the one holding back least at
    most what the other shared listings show; a carve-out is never touched."""
    remaining = max(0, available)
    shown: dict[K, int] = {}
    carving = sorted((key for key, p in policies.items() if p.mode != "shared"),
                     key=lambda key: (policies[key].priority, str(key)))
    for key in carving:
        policy = policies[key]
        share = policy.quota if policy.mode == "quota" else int(max(0, available) * policy.percentage // 100)
        carved = min(share, remaining)
        remaining -= carved
        shown[key] = _bounded(carved, policy)
    sharing = sorted((key for key, p in policies.items() if p.mode == "shared"),
                     key=lambda key: (policies[key].priority, str(key)))
    held = {key: max(0, (held_back or {}).get(key, 0)) for key in sharing}
    if sharing:
        least = min(sharing, key=lambda key: held[key])  # the first by priority on a tie
        others = sum(_bounded(max(0, remaining - held[key]), policies[key]) for key in sharing if key != least)
        held[least] = min(held[least], others)
    for key in sharing:
        shown[key] = _bounded(max(0, remaining - held[key]), policies[key])
    return shown


def _bounded(units: int, policy: Policy) -> int:
    units = max(0, units - policy.buffer)
    return units if policy.cap is None else min(units, policy.cap)


def rebalance(quotas: Mapping[K, int], sold: Mapping[K, int], *, kept_share: float = 0.1,
              step: float = 0.5) -> dict[K, int]:
    """Quotas shared out again by what each holder sold lately, their total kept exactly.

    The target gives every holder an even part of `kept_share` of the total (a quiet live room is not emptied at
    once) and the rest in proportion to its sales; each quota moves `step` of the way there per run, so one burst
    does not swing it all. Without sales, nothing moves. Units are whole (largest remainders).
    """
    total = sum(quotas.values())
    sales = {key: max(0, sold.get(key, 0)) for key in quotas}
    if total <= 0 or sum(sales.values()) == 0 or len(quotas) < 2:
        return dict(quotas)
    kept = total * kept_share / len(quotas)
    spread = total - kept * len(quotas)
    wanted = {key: quotas[key] + step * (kept + spread * sales[key] / sum(sales.values()) - quotas[key])
              for key in quotas}
    return _whole_units(wanted, total)


def _whole_units(shares: Mapping[K, float], total: int) -> dict[K, int]:
    """Whole units summing to `total`: each share rounded down, the left-over units to the largest remainders (a tie
    by key)."""
    units = {key: int(math.floor(share)) for key, share in shares.items()}
    left = total - sum(units.values())
    for key in sorted(shares, key=lambda k: (units[k] - shares[k], str(k)))[:max(0, left)]:
        units[key] += 1
    return units

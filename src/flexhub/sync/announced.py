"""Holding back ahead of a sale announced with its times (a planning event with `starts_at` and `ends_at`: a live
room's session, a flash sale). Pure.

A sale beginning from quiet finds every store showing all it has: nothing sold lately, nothing held back
(allocation.HoldBack). Each slow store's first lower figure of each SKU then takes the store's whole round to arrive
(a SKU a call: WeChat 22 s, Amazon 44 s for 200 SKUs), and meanwhile it shows more than the hub has. Announced, the
sale's pace is known before its first order: the units each SKU is expected to sell (or what it has, when the
event does not say) over the sale's seconds. Every shared listing of its SKUs holds back for the faster of that
pace and the measured one from its lead before the start (HoldBack.lead: its channel's round twice and a margin,
time for the held figure to reach its store) until the end; after the end, the measured pace alone.

The SKUs are planned again when a channel begins holding back and when the sale ends (`holding_channels` changes):
nothing sells them before a sale, so nothing else would plan them then. A channel's round for the lead is the one
the planner holds back for: before a sale, its platform's published round over the sale's SKUs, which count as
moving while the sale is `near` (a store quiet for a minute has no measured round).
"""

from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, timedelta

from flexhub.planning import TimedEvent
from flexhub.sync.allocation import MAX_LEAD_S, HoldBack

ANY_OTHER = None  # in holding_channels: a channel with no round of its own (0 s)


def near(sale: TimedEvent, now: datetime) -> bool:
    """From the longest lead (MAX_LEAD_S) before the sale starts to its end: its SKUs count as moving in their
    channels' published rounds (sync.published_rounds), which give each listing's lead."""
    return sale.starts_at - timedelta(seconds=MAX_LEAD_S) <= now < sale.ends_at


def holding(sale: TimedEvent, now: datetime, round_s: float, hold: HoldBack) -> bool:
    """Whether a listing whose channel has this round holds back for the sale now: from its lead before the start
    to the end."""
    return sale.starts_at - timedelta(seconds=hold.lead(round_s)) <= now < sale.ends_at


def sale_pace(sale: TimedEvent, units: int) -> float:
    """The pace the sale announces for a SKU with `units` sellable: its units_per_sku, or else all it has, over the
    sale's seconds."""
    expected = sale.units_per_sku if sale.units_per_sku is not None else max(0, units)
    return expected / max(1.0, (sale.ends_at - sale.starts_at).total_seconds())


def announced_pace(sales: Iterable[TimedEvent], sku_id: Hashable, units: int, now: datetime, round_s: float,
                   hold: HoldBack) -> tuple[float, TimedEvent | None]:
    """The fastest pace among the sales of this SKU that a listing whose channel has this round holds back for now,
    and that sale (0 and None: none)."""
    fastest: tuple[float, TimedEvent | None] = (0.0, None)
    for sale in sales:
        if sku_id in sale.sku_ids and holding(sale, now, round_s, hold):
            pace = sale_pace(sale, units)
            if fastest[1] is None or pace > fastest[0]:
                fastest = (pace, sale)
    return fastest


def holding_channels(sale: TimedEvent, now: datetime, rounds: Mapping[Hashable, float],
                     hold: HoldBack) -> frozenset[Hashable]:
    """The channels (those with a round in `rounds`, and ANY_OTHER for the rest) holding back for the sale now: when
    this changes, its SKUs are planned again."""
    channels: list[Hashable] = [*rounds, ANY_OTHER]
    return frozenset(channel for channel in channels if holding(sale, now, rounds.get(channel, 0.0), hold))

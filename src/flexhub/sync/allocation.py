"""What each store may show: available stock divided among listings by their policies. Pure.

Carve-outs come first, in priority order: a fixed quota (a live session's stock) or a percentage of
what is available, each taken from what is left. Listings in `shared` mode then all show what
remains after every carve-out: they compete for the same units, which the reservation guard
settles, so it is promised once. A buffer holds units back from a listing; a cap bounds it.
So the units promised (carve-outs plus the shared remainder) never exceed what exists, and no
listing shows more than its policy allows.

In a spike (`SpikeGuard`: the SKU sells faster than `min_per_s`) every store showing the same shared
figure could each sell the same last units before a new figure reaches them. So the shared listings
then split what is left among themselves instead of each showing all of it, after holding back what
the SKU's stores sell, all together, in the time a figure takes to reach them (the sales velocity
times that horizon, and times how far the hub is behind on importing orders). The split follows each
listing's recent sales (`sell_through`, `split_by_sales`): an even split left a store that sells nothing
its part of the last units while the stores selling refused buyers (bench sync: 1,533-1,860 refused with
933-1,260 units unsold at the end). A quiet store keeps a floor, an even part of `QUIET_SHARE`, so it
can start selling. Both end as the sale slows: the figures are planned again once the window has passed.

The policies themselves (a channel's or listing's setting, and its validation) are the channels' own
(flexhub.channels.allocation.Policy).
"""

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flexhub.channels import AllocationPolicy as Policy

K = TypeVar("K", bound=Hashable)  # what a figure or quota belongs to: a listing's id, mostly
QUIET_SHARE = 0.1  # of what a spike's split shares out, spread evenly: the floor of a store selling nothing
CHANNEL_PRIOR = 3.0  # a channel's average sale of a SKU counts this many times in a listing's sell-through


@dataclass(frozen=True, slots=True)
class SpikeGuard:
    window_s: float = 5.0  # sales counted over this long make the velocity
    horizon_s: float = 2.0  # how long a new figure takes to reach every store (import + push), roughly p99
    min_per_s: float = 2.0  # slower than this is no spike: nothing is held back
    sales_window_s: float = 60.0  # each listing's sell-through, which a spike's split follows, over this long

    def held_back(self, units_sold: int, behind_s: float = 0.0, waiting_orders: float = 0) -> int | None:
        """Units the shared listings of a SKU hold back in a spike (None: no spike).

        `units_sold`: the SKU's sales within the window. `behind_s` and `waiting_orders`: how far the
        hub is behind on the channels' orders (the oldest kept but not imported yet) and how many of
        them are likely this SKU's (which SKU each holds is not known until it is read). What the stores
        sold meanwhile is not in the figures, so a hub behind by more than a quarter of the horizon is in
        a spike whatever the pace (a flash sale's first second counts), and holds those back too.
        """
        if self.window_s <= 0 or self.horizon_s <= 0:
            return None
        per_second = max(0, units_sold) / self.window_s
        behind = behind_s > self.horizon_s / 4 and waiting_orders > 0  # a flash sale's first second counts
        if per_second < self.min_per_s and not behind:
            return None
        paced = math.ceil(per_second * (self.horizon_s + max(0.0, behind_s)))
        return max(paced, math.ceil(waiting_orders) if behind else 0)


def allocate(available: int, policies: Mapping[K, Policy], held_back: int | None = None,
             sold: Mapping[K, float] | None = None) -> dict[K, int]:
    """The figure each listing shows, given the units available to all of them. With `held_back` (a
    spike, SpikeGuard) the shared listings keep that many back and split the rest among themselves by
    their sell-through `sold` (evenly without it); a carve-out is never touched."""
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
    if held_back is None:
        shares = {key: remaining for key in sharing}
    else:  # a spike: the rest split by sell-through, the first by priority taking a tie's odd unit
        shares = split_by_sales(max(0, remaining - max(0, held_back)), sharing, sold or {})
    for key in sharing:
        shown[key] = _bounded(shares[key], policies[key])
    return shown


def split_by_sales(units: int, keys: Sequence[K], sold: Mapping[K, float],
                   quiet_share: float = QUIET_SHARE) -> dict[K, int]:
    """`units` shared among `keys` (in priority order) by their sell-through `sold`, summing to `units` exactly:
    `quiet_share` of them spread evenly (a quiet store's floor), the rest in proportion to the sales; evenly when
    nothing sold. Whole units, the largest remainders first, a tie to the earlier key."""
    if not keys:
        return {}
    pace = {key: max(0.0, float(sold.get(key, 0))) for key in keys}
    total = sum(pace.values())
    if total <= 0:
        wanted = {key: units / len(keys) for key in keys}
    else:
        floor = units * quiet_share / len(keys)
        wanted = {key: floor + units * (1 - quiet_share) * pace[key] / total for key in keys}
    order = {key: n for n, key in enumerate(keys)}
    return _whole_units(wanted, units, tie=order.__getitem__)


def sell_through(sold: Mapping[K, int], channel_sold: Mapping[K, float]) -> dict[K, float]:
    """Each listing's recent pace on its SKU: its own sales of it within the window, plus `CHANNEL_PRIOR` times its
    channel's average sale of a SKU in the window. A store selling everything fast will sell this one too, and a
    sale or two of one SKU says little by itself: split on those alone, the shares of stores selling alike swung
    from one planning to the next. A store that sold nothing at all is 0: it gets only the quiet floor."""
    return {key: sold.get(key, 0) + CHANNEL_PRIOR * channel_sold.get(key, 0.0) for key in {*sold, *channel_sold}}


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


def _whole_units(shares: Mapping[K, float], total: int, tie: Callable[[K], Any] = str) -> dict[K, int]:
    """Whole units summing to `total`: each share rounded down, the left-over units to the largest remainders (a tie
    by `tie`)."""
    units = {key: int(math.floor(share)) for key, share in shares.items()}
    left = total - sum(units.values())
    for key in sorted(shares, key=lambda k: (units[k] - shares[k], tie(k)))[:max(0, left)]:
        units[key] += 1
    return units

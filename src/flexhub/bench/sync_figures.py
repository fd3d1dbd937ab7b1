"""What a `bench sync` run measured, computed from what the hub and the sandbox recorded. Pure.

Lag: for every stock change (a StockChanged event, with the figure it left per SKU) and every store
listing that SKU, how long the store showed more than that figure: 0 when the last figure it received
before the change (from before the sale too: the figure standing when the sale began) is at or below
it, else the time to the first figure it received after the change that is: a later, lower figure
counts too, since a coalesced push carries every change before it. A figure raised in between (a hold
released) counts as shown from its arrival, so a change below it waits again.
Oversold: orders the hub keeps as awaiting_stock. `stale_figure` ones were accepted by a store while
the hub already knew the SKU was short (the store's figure lagged); `in_flight` ones were accepted
while the hub still had stock, because another store's sale of the last units was not yet imported.
"""

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flexhub.bench.report import percentile_ms


@dataclass(frozen=True, slots=True)
class Change:
    at: float  # seconds since the epoch
    sku: str
    available: int  # the figure every listing of the SKU should show after it


@dataclass(frozen=True, slots=True)
class Received:
    store: str
    platform: str
    sku: str
    quantity: int
    at: float  # seconds since the epoch


@dataclass(frozen=True, slots=True)
class Sale:
    """An order a store accepted, and what the hub made of it (None: never imported)."""

    store: str
    sku: str
    quantity: int
    at: float  # seconds since the epoch
    status: str | None
    order: str = ""  # the platform's order id
    imported_at: float | None = None  # when the hub wrote it (seconds since the epoch)


def lags(changes: Sequence[Change], received: Iterable[Received], listed: Mapping[str, Sequence[str]],
         platform_of: Mapping[str, str], urgent: Callable[[Change, str], bool] | None = None,
         started: float = -math.inf) -> dict[str, Any]:
    """Percentiles of the lag overall and per platform; `unconfirmed` counts changes a store never got. `received`
    holds every figure the stores received, those before the sale (`started`) among them: the last of them is what a
    store showed when the sale began. With `urgent` (a change and a store: whether the hub counts that figure urgent),
    each also split into the urgent changes' lag and the bulk's. Apart, the p99 of the changes made after the store's
    first figure of the SKU received since `started`: a sale beginning from quiet finds every store showing all it
    has, and a store's first lower figures take its whole round to reach it, whatever the hub holds back then."""
    timelines = _timelines(received)
    overall: list[float] = []
    by_platform: dict[str, list[float]] = defaultdict(list)
    split: dict[tuple[str, bool], list[float]] = defaultdict(list)
    later: dict[str, list[float]] = defaultdict(list)
    unconfirmed = 0
    for change in changes:
        for store in listed.get(change.sku, ()):
            timeline = timelines.get((store, change.sku))
            arrived = _showing_at_or_below(timeline, change.at, change.available)
            if arrived is None:
                unconfirmed += 1
                continue
            seconds = max(0.0, arrived - change.at)
            overall.append(seconds)
            by_platform[platform_of[store]].append(seconds)
            first = _first_since(timeline, started)
            if first is not None and change.at >= first:
                later[platform_of[store]].append(seconds)
                later[""].append(seconds)
            if urgent is not None:
                is_urgent = urgent(change, store)
                split[(platform_of[store], is_urgent)].append(seconds)
                split[("", is_urgent)].append(seconds)
    found: dict[str, Any] = {
        "p50_lag_ms": percentile_ms(overall, 0.5), "p99_lag_ms": percentile_ms(overall, 0.99),
        "max_lag_ms": percentile_ms(overall, 1.0), "lag_samples": len(overall), "unconfirmed": unconfirmed,
        "lag_by_platform": {platform: {"p50_ms": percentile_ms(values, 0.5), "p99_ms": percentile_ms(values, 0.99),
                                       **_split(split, platform, urgent is not None),
                                       "after_first_figure_p99_ms": percentile_ms(later[platform], 0.99)}
                            for platform, values in sorted(by_platform.items())},
        "after_first_figure_p99_lag_ms": percentile_ms(later[""], 0.99), "after_first_figure_samples": len(later[""]),
    }
    return {**found, **({"urgent_p99_lag_ms": percentile_ms(split[("", True)], 0.99),
                         "bulk_p99_lag_ms": percentile_ms(split[("", False)], 0.99),
                         "urgent_lag_samples": len(split[("", True)]), "bulk_lag_samples": len(split[("", False)])}
                        if urgent is not None else {})}


def _split(split: Mapping[tuple[str, bool], list[float]], platform: str, wanted: bool) -> dict[str, Any]:
    if not wanted:
        return {}
    urgent, bulk = split.get((platform, True), []), split.get((platform, False), [])
    return {"urgent_p99_ms": percentile_ms(urgent, 0.99), "bulk_p99_ms": percentile_ms(bulk, 0.99),
            "urgent_samples": len(urgent), "bulk_samples": len(bulk)}


def urgency_of(sales: Sequence[Sale], near_zero: int, selling_s: float) -> Callable[[Change, str], bool]:
    """As the hub weighs a figure (sync.push_calls.urgency): urgent when the SKU's figure is near zero, or when the
    store sold the SKU within `selling_s` before the change (selling fast); else bulk. The bench knows every store's
    sales as they happened, the hub only those it imported, so this is the hub's rule with perfect knowledge."""
    sold: dict[tuple[str, str], list[float]] = defaultdict(list)
    for sale in sales:
        sold[(sale.store, sale.sku)].append(sale.at)
    for moments in sold.values():
        moments.sort()

    def urgent(change: Change, store: str) -> bool:
        if change.available <= near_zero:
            return True
        moments = sold.get((store, change.sku), [])
        last = bisect.bisect_right(moments, change.at)
        return last > 0 and change.at - moments[last - 1] <= selling_s

    return urgent


def changes_made(changes: Sequence[Change], initial: Mapping[str, int], listings_per_sku: Mapping[str, int]) -> int:
    """Listing figures that changed: each change of a SKU's figure changes every listing of it."""
    current, count = dict(initial), 0
    for change in sorted(changes, key=lambda c: c.at):
        if current.get(change.sku) != change.available:
            count += listings_per_sku.get(change.sku, 0)
            current[change.sku] = change.available
    return count


def oversold(sales: Iterable[Sale], changes: Sequence[Change], initial: Mapping[str, int]) -> dict[str, int]:
    history = _history(changes, initial)
    stale = in_flight = 0
    for sale in sales:
        if sale.status != "awaiting_stock":
            continue
        moments, figures = history[sale.sku]
        known = figures[bisect.bisect_right(moments, sale.at) - 1]
        if known < sale.quantity:
            stale += 1
        else:
            in_flight += 1
    return {"stale_figure": stale, "in_flight": in_flight}


def explain_oversold(sales: Sequence[Sale], changes: Sequence[Change], initial: Mapping[str, int],
                     started: float, received: Sequence[Received] = ()) -> list[dict[str, Any]]:
    """Each oversold order with why: `kind` as `oversold` counts it, the hub's figure of the SKU when the store took
    it, the seconds from then to its import, and the orders of the SKU imported in between (the units' takers, by
    store and order id, with their own seconds from sale to import), which the hub filled first. Then the figure the
    store sold on (`store_showed`: the last it received before the sale, less its own sales since; when it arrived),
    when the hub decided the SKU's figure below the order (`short_decided_s`) and when the store received a figure
    that low (`short_confirmed_s`), and whether that explains it (`explained`, `why`): a stale figure sold between
    the hub's decision and the store's receipt of it, or units in flight taken by orders imported meanwhile."""
    history, shown = _history(changes, initial), _shown(received)
    found = []
    for sale in sorted(sales, key=lambda s: s.at):
        if sale.status != "awaiting_stock":
            continue
        moments, figures = history[sale.sku]
        held = figures[bisect.bisect_right(moments, sale.at) - 1]
        imported = sale.imported_at if sale.imported_at is not None else math.inf
        takers = sorted((other for other in sales if other.sku == sale.sku and other is not sale
                         and other.status not in (None, "awaiting_stock") and other.imported_at is not None
                         and sale.at <= other.imported_at <= imported), key=lambda other: other.imported_at or 0.0)
        showed, showed_at = _store_showed(shown.get((sale.store, sale.sku), []), sales, sale)
        decided = _short_decided(moments, figures, sale)
        confirmed = _first_below(shown.get((sale.store, sale.sku), []), sale.quantity, decided)
        kind = "stale_figure" if held < sale.quantity else "in_flight"
        taken = sum(o.quantity for o in takers)
        found.append({
            "store": sale.store, "order": sale.order, "sku": sale.sku, "quantity": sale.quantity, "kind": kind,
            "placed_s": round(sale.at - started, 3), "hub_available_when_placed": held,
            "import_s": None if sale.imported_at is None else round(sale.imported_at - sale.at, 3),
            "units_taken_meanwhile": taken,
            "units_taken_meanwhile_by": [{"store": o.store, "order": o.order, "quantity": o.quantity,
                                          "placed_s": round(o.at - started, 3),
                                          "import_s": round((o.imported_at or o.at) - o.at, 3)} for o in takers],
            "store_showed": showed, "store_figure_received_s": _since(showed_at, started),
            "short_decided_s": _since(decided, started), "short_confirmed_s": _since(confirmed, started),
            **_why(kind, sale, held, taken, decided, confirmed, started),
        })
    return found


def _shown(received: Iterable[Received]) -> dict[tuple[str, str], list[Received]]:
    """Per (store, SKU): every figure it received, in the order they arrived."""
    grouped: dict[tuple[str, str], list[Received]] = defaultdict(list)
    for figure in sorted(received, key=lambda f: f.at):
        grouped[(figure.store, figure.sku)].append(figure)
    return grouped


def _store_showed(figures: Sequence[Received], sales: Sequence[Sale], sale: Sale) -> tuple[int | None, float | None]:
    """The store's figure when it took the sale: the last it received before, less what it sold of the SKU since."""
    before = [f for f in figures if f.at <= sale.at]
    if not before:
        return None, None
    last = before[-1]
    sold = sum(o.quantity for o in sales if o.store == sale.store and o.sku == sale.sku and last.at < o.at < sale.at)
    return last.quantity - sold, last.at


def _short_decided(moments: Sequence[float], figures: Sequence[int], sale: Sale) -> float | None:
    """When the hub's figure of the SKU went below the order: the start of the short run the sale fell in (a stale
    figure), else the first moment after the sale (units in flight). None: never, as the hub saw it."""
    index = bisect.bisect_right(moments, sale.at) - 1
    if figures[index] < sale.quantity:
        while index > 0 and figures[index - 1] < sale.quantity:
            index -= 1
        return moments[index] if moments[index] > -math.inf else None
    return next((moments[n] for n in range(index + 1, len(moments)) if figures[n] < sale.quantity), None)


def _first_below(figures: Sequence[Received], quantity: int, since: float | None) -> float | None:
    """When the store first received a figure below `quantity` at or after `since`."""
    if since is None:
        return None
    return next((f.at for f in figures if f.at >= since and f.quantity < quantity), None)


def _why(kind: str, sale: Sale, held: int, taken: int, decided: float | None, confirmed: float | None,
         started: float) -> dict[str, Any]:
    if kind == "stale_figure":
        explained = decided is not None and decided <= sale.at and (confirmed is None or sale.at < confirmed)
        return {"explained": explained, "why": (
            f"sold {round(sale.at - (decided or sale.at), 3)} s after the hub decided the SKU below it and "
            + ("before the store had that figure" if confirmed is None else
               f"{round(confirmed - sale.at, 3)} s before the store had it (push lag "
               f"{round(confirmed - (decided or confirmed), 3)} s)"))}
    explained = taken >= held
    return {"explained": explained, "why": (
        f"the hub held {held} when the store sold; orders placed earlier and imported during this order's "
        f"{'unfinished' if sale.imported_at is None else round(sale.imported_at - sale.at, 3)} s import took {taken}"
        + ("" if decided is None else f"; the hub's figure fell below it {round(decided - started, 3)} s into the "
           "sale, after the store sold"))}


def _since(moment: float | None, started: float) -> float | None:
    return None if moment is None else round(moment - started, 3)


def _timelines(received: Iterable[Received]) -> dict[tuple[str, str], tuple[list[float], list[int]]]:
    """Per (store, SKU): the arrival times and figures it received, in the order they arrived."""
    grouped: dict[tuple[str, str], list[Received]] = defaultdict(list)
    for figure in received:
        grouped[(figure.store, figure.sku)].append(figure)
    timelines = {}
    for key, figures in grouped.items():
        figures.sort(key=lambda f: f.at)
        timelines[key] = ([f.at for f in figures], [f.quantity for f in figures])
    return timelines


def _showing_at_or_below(timeline: tuple[list[float], list[int]] | None, at: float, figure: int) -> float | None:
    """When the store first showed `figure` or less from `at` on: `at` when the last figure it received by then is,
    else the arrival of the first one after that is. None: never."""
    if not timeline:
        return None
    moments, quantities = timeline
    last = bisect.bisect_right(moments, at) - 1
    if last >= 0 and quantities[last] <= figure:
        return at
    return next((moments[n] for n in range(last + 1, len(moments)) if quantities[n] <= figure), None)


def _first_since(timeline: tuple[list[float], list[int]] | None, started: float) -> float | None:
    """When the store received its first figure at or after `started`."""
    if not timeline:
        return None
    moments = timeline[0]
    first = bisect.bisect_left(moments, started)
    return moments[first] if first < len(moments) else None


def _history(changes: Sequence[Change], initial: Mapping[str, int]) -> dict[str, tuple[list[float], list[int]]]:
    """Per SKU: the moments its figure changed and the figure from each on (the first from the start)."""
    history = {sku: ([-math.inf], [units]) for sku, units in initial.items()}
    for change in sorted(changes, key=lambda c: c.at):
        moments, figures = history.setdefault(change.sku, ([-math.inf], [0]))
        moments.append(change.at)
        figures.append(change.available)
    return history

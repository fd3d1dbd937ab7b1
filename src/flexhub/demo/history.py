"""Twenty-one weeks of the brand's sales before the trading day (the learned forecast needs 140 days to train on), as
a brand joining flexhub brings them from its previous system: daily units per SKU × node (× the channel that sold
them), imported through planning's ImportSalesHistory. Writing that many orders one by one would take minutes; the
forecasts, stock alerts, suggestions and the supplier portal read imported days beside the orders' own demand.

Each SKU sells at a rate made of its product, colour and size, with a little of its own; each node takes its share
(the central warehouse most, a store little), stores sell more at weekends, and the whole brand grows a little over
the weeks. The flash sale's SKU sells three times its rate, so its thin stock runs short. Units are Poisson draws from
a fixed seed: the same brand every run."""

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np

from flexhub.bootstrap import Hub
from flexhub.demo.brand import HOT_SKU, NODES, sku_codes
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.planning import HistoryImported, ImportSalesHistory, SalesDay
from flexhub.sandbox.store import Store

WEEKS = 21  # 147 days: the learned model's 84 + 28 + 28 (learned.min_history with its hold-out), and a week
SEED = 618
PRODUCT_RATE = {  # units a day at the central warehouse, for the product's average variant
    "TEE-CLASSIC": 2.2, "TEE-OVERSIZE": 1.4, "HOODIE-CLOUD": 1.1, "JACKET-WIND": 0.6, "PANTS-CARGO": 1.0,
    "SKIRT-PLEAT": 0.7, "DRESS-SILK": 0.4, "CAP-LOGO": 1.2, "BAG-TOTE": 0.9, "MUG-CERAMIC": 0.5,
}
COLOUR = {"BLACK": 1.4, "WHITE": 1.2, "SAND": 0.8, "NAVY": 1.0, "OLIVE": 0.6}
SIZE = {"S": 0.7, "M": 1.3, "L": 1.2, "XL": 0.6}
NODE_SHARE = {"central": 1.5, "regional": 0.8, "cloud": 0.6, "store": 0.1}  # of the rate
WEEKEND = {"store": 1.6}  # a weekend day sells this many times a weekday (others: 1)
GROWTH = 0.15  # over the whole history
HOT = 3.0


def seed(hub: Hub, admin: Actor, shops: Iterable[Store] = ()) -> HistoryImported:
    """Import the history ending yesterday; warehouse sales are shared among the channels listing the SKU."""
    days = generate(clock.now().date(), {s.code: set(s.listings) for s in shops if s.sells})
    return hub.handle(ImportSalesHistory(actor=admin, days=days))


def generate(today: date, listed: dict[str, set[str]]) -> list[SalesDay]:
    chooser = np.random.default_rng(SEED)
    start = today - timedelta(weeks=WEEKS)
    dates = [start + timedelta(days=d) for d in range(WEEKS * 7)]
    growth = 1 + GROWTH * np.linspace(-0.5, 0.5, len(dates))
    lines = []
    for sku in sku_codes():
        rate = _rate(sku) * chooser.lognormal(0.0, 0.35)
        channels = sorted(code for code, skus in listed.items() if sku in skus)
        for node, kind, *_ in NODES:
            if kind == "supplier":
                continue  # the factory drop-ships what is ordered from it: no stock of its own sold
            weekend = np.array([WEEKEND.get(kind, 1.0) if d.weekday() >= 5 else 1.0 for d in dates])
            units = chooser.poisson(rate * NODE_SHARE[kind] * growth * weekend)
            for day, sold in zip(dates, units, strict=True):
                if sold:
                    lines += _split(chooser, sku, node, day, int(sold), channels if kind != "store" else [])
    return lines


def _rate(sku: str) -> float:
    product, colour, size = sku.rsplit("-", 2)
    return PRODUCT_RATE[product] * COLOUR[colour] * SIZE[size] * (HOT if sku == HOT_SKU else 1.0)


def _split(chooser: np.random.Generator, sku: str, node: str, day: date, units: int,
           channels: list[str]) -> list[SalesDay]:
    """A warehouse's day shared among the channels that list the SKU (none named where none does, or in store)."""
    if not channels:
        return [SalesDay(sku=sku, location=node, day=day, units=units)]
    shares = chooser.multinomial(units, [1 / len(channels)] * len(channels))
    return [SalesDay(sku=sku, location=node, channel=code, day=day, units=int(n))
            for code, n in zip(channels, shares, strict=True) if n]

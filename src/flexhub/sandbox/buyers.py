"""Shoppers placing orders in a sandbox's stores at a steady rate, or in flash-sale spikes.

Each order buys one unit of a listing in a store the buyers shop at (`Store.sells`); a store refuses
what its listing does not show, as a marketplace does. Which store and listing come from a seeded
generator, so a run can be repeated. In spike mode the first second of every `SPIKE_EVERY_S` runs at
`SPIKE_FACTOR` times the rate: the opening of a live-stream sale.
"""

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flexhub.sandbox.market import Market
from flexhub.sandbox.store import Order, Store

SPIKE_EVERY_S = 5.0
SPIKE_FACTOR = 10.0


@dataclass
class Tally:
    placed: list[tuple[Store, Order]] = field(default_factory=list)
    refused: int = 0


class Buyers:
    def __init__(self, market: Market, *, per_second: float, spike: bool = False, seed: int = 618,
                 choose: Callable[[random.Random, list[Store]], tuple[Store, str]] | None = None) -> None:
        self._market = market
        self._per_second = per_second
        self._spike = spike
        self._random = random.Random(seed)
        self._choose = choose or _uniform
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.tally = Tally()

    def rate_at(self, elapsed_s: float) -> float:
        spiking = self._spike and elapsed_s % SPIKE_EVERY_S < 1.0
        return self._per_second * (SPIKE_FACTOR if spiking else 1.0)

    def mean_rate(self) -> float:
        """Orders a second on average: with spikes, over one spike's cycle."""
        if not self._spike:
            return self._per_second
        return self._per_second * (1.0 + (SPIKE_FACTOR - 1.0) / SPIKE_EVERY_S)

    def run(self, orders: int | None = None, on_order: Callable[[int], None] | None = None) -> Tally:
        """Place orders until `orders` were attempted (or until stopped), keeping to the rate."""
        stores = [store for store in self._market.stores.values() if store.sells]
        if not stores:
            return self.tally
        started, due, attempted = time.monotonic(), time.monotonic(), 0
        while not self._stop.is_set() and (orders is None or attempted < orders):
            time.sleep(max(0.0, due - time.monotonic()))
            store, sku = self._choose(self._random, stores)
            order = self._market.place_order(store, {sku: 1})
            if order is None:
                self.tally.refused += 1
            else:
                self.tally.placed.append((store, order))
            attempted += 1
            if on_order:
                on_order(attempted)
            due += 1.0 / self.rate_at(time.monotonic() - started)
        return self.tally

    def start(self, orders: int | None = None) -> "Buyers":
        self._thread = threading.Thread(target=self.run, args=(orders,), name="sandbox-buyers", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=10)


def _uniform(chooser: random.Random, stores: list[Store]) -> tuple[Store, str]:
    store = chooser.choice(stores)
    return store, chooser.choice(list(store.listings))

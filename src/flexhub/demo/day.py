"""A scripted trading day, compressed: shoppers in every store, and a flash sale in the live rooms.

Buyers pick a store and a listing; in the live rooms, half the picks are the hot SKU, and in spike
mode the first second of every five runs at ten times the rate (the opening of a live sale).
"""

import random
import time
from collections.abc import Callable

from flexhub.demo.brand import HOT_SKU
from flexhub.sandbox.buyers import Buyers, Tally
from flexhub.sandbox.market import Market
from flexhub.sandbox.store import Store

LIVE_ROOMS = ("douyin-live-1", "douyin-live-2")


def shop(market: Market, *, minutes: float, orders_per_s: float, spike: bool,
         advance: Callable[[float], None]) -> Tally:
    buyers = Buyers(market, per_second=orders_per_s, spike=spike, choose=_choose).start()
    started = time.monotonic()
    try:
        while (elapsed := time.monotonic() - started) < minutes * 60:
            time.sleep(0.25)
            advance(min(elapsed, minutes * 60))
    finally:
        buyers.stop()
    return buyers.tally


def _choose(chooser: random.Random, stores: list[Store]) -> tuple[Store, str]:
    store = chooser.choice(stores)
    if store.code in LIVE_ROOMS and chooser.random() < 0.5:
        return store, HOT_SKU
    return store, chooser.choice(list(store.listings))

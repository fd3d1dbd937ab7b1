"""Scenario hot-sku: every order buys one unit of the same SKU (a live-stream flash sale)."""

import math

from flexhub.bench.run import Scenario

HOT_SKU = "HOT-TEE-BLACK-M"


def hot_sku(orders: int, stock_ratio: float) -> Scenario:
    """`orders` single-unit orders of one SKU stocked with `stock_ratio` of the units they ask for."""
    return Scenario("hot-sku", {HOT_SKU: math.floor(orders * stock_ratio)}, [HOT_SKU] * orders)

"""Scenario many-skus: orders spread evenly over K SKUs, each stocked short of what its orders ask."""

import math

from flexhub.bench.run import Scenario


def sku_code(index: int) -> str:
    return f"SKU-{index:05d}"


def many_skus(orders: int, skus: int, stock_ratio: float) -> Scenario:
    """Order n buys SKU n mod K; each SKU gets `stock_ratio` of the units its own orders ask for."""
    codes = [sku_code(k) for k in range(skus)]
    purchases = [codes[n % skus] for n in range(orders)]
    demand = {code: 0 for code in codes}
    for code in purchases:
        demand[code] += 1
    return Scenario("many-skus", {code: math.floor(d * stock_ratio) for code, d in demand.items()}, purchases)

"""The orders a benchmark places: one unit each, refused outright when stock is short.

Built (and validated) before the clock starts, so that the run measures the intake alone.
"""

from collections.abc import Sequence

from flexhub.bench.shop import CHANNEL
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.schemas import OrderIn
from flexhub.testing.builders import order_body

UNIT_PRICE = 9900


def build_orders(admin: Actor, skus: Sequence[str]) -> list[ImportOrder]:
    """One ImportOrder per entry of `skus` (the SKU that order buys), in arrival order."""
    run = new_id().hex[-8:]
    return [
        ImportOrder(actor=admin, order=OrderIn.model_validate(order_body(
            external_id=f"BENCH-{run}-{n:07d}",
            channel=CHANNEL,
            lines=[{"sku": sku, "quantity": 1, "unit_price": UNIT_PRICE}],
            on_shortage="reject",
        )))
        for n, sku in enumerate(skus)
    ]

"""Pure order decisions: the state machine, amounts, and the stock each line needs."""

import functools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flexhub.inventory.rules import PRESALE, Need
from flexhub.ordering.errors import InvalidOrder, InvalidTransition

STATUSES = (
    "received", "reserved", "awaiting_stock", "routed", "picking", "packed", "partially_shipped",
    "shipped", "delivered", "closed", "on_hold", "cancelled", "exception",
)
# Where an order may go next. on_hold and exception go back to where work resumes.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"reserved", "awaiting_stock", "on_hold", "cancelled", "exception"}),
    "awaiting_stock": frozenset({"reserved", "on_hold", "cancelled", "exception"}),
    "reserved": frozenset({"routed", "on_hold", "cancelled", "exception", "awaiting_stock"}),
    "routed": frozenset({"picking", "reserved", "on_hold", "cancelled", "exception"}),
    "picking": frozenset({"packed", "routed", "cancelled", "exception"}),
    "packed": frozenset({"partially_shipped", "shipped", "exception"}),
    "partially_shipped": frozenset({"shipped", "exception"}),
    "shipped": frozenset({"delivered", "exception"}),
    "delivered": frozenset({"closed"}),
    "on_hold": frozenset({"received", "reserved", "awaiting_stock", "cancelled"}),
    "exception": frozenset({"received", "reserved", "awaiting_stock", "routed", "cancelled"}),
    "cancelled": frozenset({"closed"}),
    "closed": frozenset(),
}
# States in which the order still holds (or waits for) stock it has not shipped.
HOLDS_STOCK = frozenset({"reserved", "routed", "picking", "on_hold", "exception"})


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(f"an order that is {current} cannot become {target}", status=current)


@dataclass(frozen=True, slots=True)
class Amounts:
    subtotal: int
    discount_total: int
    shipping_fee: int
    total: int


def amounts(lines: Sequence[tuple[int, int, int]], shipping_fee: int, order_discount: int) -> Amounts:
    """Totals from (quantity, unit_price, line discount) in minor units."""
    subtotal = sum(quantity * price for quantity, price, _ in lines)
    discount = sum(d for _, _, d in lines) + order_discount
    total = subtotal - discount + shipping_fee
    if total < 0:
        raise InvalidOrder("discounts exceed the order's value", subtotal=subtotal, discount=discount)
    return Amounts(subtotal, discount, shipping_fee, total)


@dataclass(frozen=True, slots=True)
class LineDemand:
    line_no: int
    sku_id: uuid.UUID
    quantity: int
    presale: bool


@functools.lru_cache(maxsize=256)
def _spot_and_presale(channel_pools: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A channel's spot pools and its presale pool (if it sells presale); once per set of pools, not per order."""
    return tuple(p for p in channel_pools if p != PRESALE), (PRESALE,) if PRESALE in channel_pools else ()


def needs_for(
    lines: Sequence[LineDemand],
    components: Mapping[uuid.UUID, Sequence[tuple[uuid.UUID, int]]],
    channel_pools: Sequence[str],
) -> list[Need]:
    """What stock each line needs: bundles become their components; presale lines draw only presale,
    and only from a channel that sells presale (invariant 4: a channel sells only from its pools)."""
    spot_pools, presale_pools = _spot_and_presale(tuple(channel_pools))
    needs = []
    for line in lines:
        pools = presale_pools if line.presale else spot_pools
        for sku_id, per_unit in components.get(line.sku_id, [(line.sku_id, 1)]):
            needs.append(Need(sku_id, line.quantity * per_unit, pools, line.line_no))
    return needs

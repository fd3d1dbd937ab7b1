"""What an order's returns cost the seller, per order and SKU, for profit:

- the goods written off: units graded `scrap` at inspection, valued at what the order's units of that SKU cost
  when they shipped (so the write-off leaves cost of goods and shows as a return cost; units restocked already
  leave cost of goods through the ledger's `return` movements, and refurbished units stay in it until they are
  back in stock);
- what bringing the return back cost (`finance_return_costs`: the parcel back, handling and restocking, other),
  each cost shared over the return's SKUs by the units expected back, largest remainders first.

Amounts are minor units: write-offs of the cost currency, recorded costs of their own currency (`order_costs`
converts both to the order's)."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import profit_queries, rules
from flexhub.finance.costs import Costed, rounded

Key = tuple[str, uuid.UUID]  # (order id as text, SKU)


@dataclass
class ReturnedCosts:
    writeoffs: dict[Key, int] = field(default_factory=lambda: defaultdict(int))  # in the cost currency
    costs: dict[tuple[str, uuid.UUID, str], int] = field(default_factory=lambda: defaultdict(int))  # + currency


def returned_costs(connection: Connection, tenant_id: uuid.UUID, order_ids: Collection[str],
                   costed: Iterable[Costed]) -> ReturnedCosts:
    """For these orders (ids as text), with the ledger valued (`costed`)."""
    lines = profit_queries.order_returns(connection, tenant_id, [uuid.UUID(o) for o in order_ids])
    recorded = profit_queries.return_costs(connection, tenant_id, {line.return_id for line in lines})
    return costs_of(lines, recorded, shipped_costs(costed, set(order_ids)))


def shipped_costs(costed: Iterable[Costed], order_ids: set[str]) -> dict[Key, tuple[int, int]]:
    """Per order and SKU: units shipped and their value when they shipped."""
    shipped: dict[Key, tuple[int, int]] = {}
    for moved in costed:
        entry = moved.entry
        if entry.kind == "ship" and entry.reference in order_ids:
            units, value = shipped.get((entry.reference, entry.sku_id), (0, 0))
            shipped[(entry.reference, entry.sku_id)] = (units - entry.quantity, value - moved.value)
    return shipped


def costs_of(lines: Sequence[Any], recorded: Sequence[Any], shipped: Mapping[Key, tuple[int, int]]) -> ReturnedCosts:
    """Pure: write-offs of the scrapped units and the recorded costs shared over each return's SKUs."""
    found = ReturnedCosts()
    by_return: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for line in lines:
        order = str(line.order_id)
        by_return[line.return_id].append(line)
        units, value = shipped.get((order, line.sku_id), (0, 0))
        if line.scrap and units:
            found.writeoffs[(order, line.sku_id)] += rounded(Fraction(value * min(line.scrap, units), units))
    for cost in recorded:
        returned = by_return[cost.return_id]
        order = str(returned[0].order_id)
        for line, part in zip(returned, rules.allocate(cost.amount, [line.quantity for line in returned]),
                              strict=True):
            found.costs[(order, line.sku_id, cost.currency)] += part
    return found

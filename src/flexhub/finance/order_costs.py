"""What profit counts against each order apart from the platform's fees, in the order's currency: the cost of the
goods shipped for it (less those returned to stock or written off), what its returns cost (write-offs included),
what carriers charged for its shipments and its routed plan's price on the rate card.

Costs are kept in the tenant's cost currency (the ledger's moving average, the rate card, write-offs) and charges in
their own; each is converted to the order's currency with the exchange rate of the day the order was placed
(`exchange`), per order and SKU, to the minor unit. An order whose conversion has no rate raises
`finance.missing_exchange_rate`, naming every pair and day missing: no figure is made up."""

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from flexhub.finance import costs, exchange_queries, profit_queries, returned

Key = tuple[str, uuid.UUID]  # (order id as text, SKU)


@dataclass(frozen=True)
class OrderCosts:
    cogs: dict[Key, int]
    returned: dict[Key, int]
    charged: dict[str, int]  # what carriers charged, per order with a charge known
    routed: dict[str, int]  # the rate card's price of its routed plan


def order_costs(connection: Connection, tenant_id: uuid.UUID, orders: Mapping[str, tuple[str, date]]) -> OrderCosts:
    """For `orders` (id as text → its currency and the day it was placed)."""
    if not orders:
        return OrderCosts({}, {}, {}, {})
    rates, books = exchange_queries.rates(connection, tenant_id), exchange_queries.cost_currency(connection, tenant_id)
    _, costed = costs.ledger_costs(connection, tenant_id)
    in_books: dict[tuple[str, uuid.UUID, str], int] = defaultdict(int)
    for moved in costed:
        reference = moved.entry.reference
        if reference is not None and reference in orders and moved.entry.kind in ("ship", "return"):
            in_books[(reference, moved.entry.sku_id, books)] -= moved.value
    back = returned.returned_costs(connection, tenant_id, orders, costed)
    spent: dict[tuple[str, uuid.UUID, str], int] = defaultdict(int, back.costs)
    for (order_id, sku_id), value in back.writeoffs.items():
        in_books[(order_id, sku_id, books)] -= value
        spent[(order_id, sku_id, books)] += value
    ids = [uuid.UUID(order_id) for order_id in orders]
    charges: dict[tuple[str, str], int] = defaultdict(int)
    for charge in profit_queries.order_carrier_charges(connection, tenant_id, ids):
        charges[(str(charge.order_id), charge.currency)] += charge.amount
    routed = {(str(order_id), books): price
              for order_id, price in profit_queries.routed_shipping(connection, tenant_id, ids).items()}

    def convert(amounts: Mapping[tuple[str, uuid.UUID, str], int]) -> dict[Key, int]:
        found: dict[Key, int] = defaultdict(int)
        for (order_id, sku_id, currency), amount in amounts.items():
            currency_to, day = orders[order_id]
            found[(order_id, sku_id)] += rates.convert(amount, currency, currency_to, day) or 0
        return dict(found)

    nil = uuid.UUID(int=0)
    made = OrderCosts(convert(in_books), convert(spent),
                      {o: v for (o, _), v in convert({(o, nil, c): v for (o, c), v in charges.items()}).items()},
                      {o: v for (o, _), v in convert({(o, nil, c): v for (o, c), v in routed.items()}).items()})
    rates.check()
    return made

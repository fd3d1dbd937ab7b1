"""Gross profit per store, channel, streamer, live room, SKU, category, day or month, over the orders booked in
a period (cancelled ones left out): by default the orders that have shipped (or been handed over at a store), in
the period their last unit left, as revenue is recognized when the goods go; on basis `placed`, every order placed
in it (`profit_queries.profit_orders`):

    revenue (lines at their price + the shipping the buyer paid) − discounts − platform fees − cost of goods
    − shipping − refunds − return costs = gross profit;  margin = gross profit / (revenue − discounts − refunds)

The hub's rows are exported for the period (`profit_queries.profit_export`: orders, lines, the statement lines naming
them, fee terms) with each order's cost of goods from the moving-average replay of the ledger, what its returns cost
and what carrying it cost, converted to its currency (`order_costs`), and DuckDB computes the figures over them
(`profit_facts`), on SQLite and PostgreSQL alike. Amounts are minor units of the order's currency: a row per key
and currency. `flexhub.testing.profit_oracle` computes the same in plain Python for the tests."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import order_costs, profit_facts, profit_queries
from flexhub.finance.errors import InvalidPeriod, UnknownBasis, UnknownDimension
from flexhub.finance.profit_queries import BASES, SHIPPED
from flexhub.kernel.clock import as_utc

DIMENSIONS = ("channel", "store", "streamer", "live_room", "sku", "category", "day", "month")
LINE_DIMENSIONS = frozenset({"sku", "category"})
FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds", "return_costs")


def profit_view(connection: Connection, tenant_id: uuid.UUID, by: str, start: datetime | None = None,
                end: datetime | None = None, basis: str = SHIPPED) -> dict[str, Any]:
    start, end = checked(by, start, end, basis)
    tables = profit_queries.profit_export(connection, tenant_id, start, end, basis)
    tables |= _cost_tables(connection, tenant_id, tables["orders"])
    sums = profit_facts.figures_by(tables, by)
    return {"by": by, "basis": basis, "from": start, "to": end,
            "rows": [row(key, currency, total) for key, currency, total in sums]}


def checked(by: str, start: datetime | None, end: datetime | None,
            basis: str) -> tuple[datetime | None, datetime | None]:
    """The period in UTC once the dimension, the basis and the period are known good."""
    if by not in DIMENSIONS:
        raise UnknownDimension(f"profit is by one of {', '.join(DIMENSIONS)}, not {by!r}", dimensions=DIMENSIONS)
    if basis not in BASES:
        raise UnknownBasis(f"profit's basis is one of {', '.join(BASES)}, not {basis!r}", bases=BASES)
    start, end = (as_utc(t) if t else None for t in (start, end))
    if start and end and start >= end:
        raise InvalidPeriod("the period's start must come before its end", start=str(start), end=str(end))
    return start, end


def row(key: str | None, currency: str, total: dict[str, int]) -> dict[str, Any]:
    """A key's figures with its gross profit and margin (four decimals; none without net revenue)."""
    gross_profit = total["revenue"] - total["discounts"] - total["platform_fees"] - total["cogs"] \
        - total["shipping"] - total["refunds"] - total["return_costs"]
    net = total["revenue"] - total["discounts"] - total["refunds"]
    return {"key": key, "currency": currency, **total, "gross_profit": gross_profit,
            "margin": round(gross_profit / net, 4) if net > 0 else None}


def _cost_tables(connection: Connection, tenant_id: uuid.UUID,
                 orders: dict[str, list[Any]]) -> dict[str, dict[str, list[Any]]]:
    """The orders' costs in their currencies (`order_costs`) as tables: per order and SKU the cost of goods
    (`cogs_moves`) and of returns (`return_costs`); per order what carriers charged and the rate card's price."""
    placed = {order_id: (currency, as_utc(at).date()) for order_id, currency, at in
              zip(orders["order_id"], orders["currency"], orders["placed"], strict=True)}
    found = order_costs.order_costs(connection, tenant_id, placed)
    by_sku: dict[str, dict[str, list[Any]]] = {
        name: {"order_id": [key[0] for key in values], "sku_id": [str(key[1]) for key in values],
               "value": list(values.values())}
              for name, values in (("cogs_moves", found.cogs), ("return_costs", found.returned))}
    return {**by_sku, "carrier_charges": {"order_id": list(found.charged), "amount": list(found.charged.values())},
            "shipping": {"order_id": list(found.routed), "price": list(found.routed.values())}}

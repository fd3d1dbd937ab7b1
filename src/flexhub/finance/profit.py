"""Gross profit per store, channel, streamer, live room, SKU, category, day or month, over the orders placed in
a period (cancelled ones left out):

    revenue (lines at their price + the shipping the buyer paid) − discounts − platform fees − cost of goods
    − shipping − refunds − return costs = gross profit;  margin = gross profit / (revenue − discounts − refunds)

The hub's rows are exported for the period (`profit_queries.profit_export`: orders, lines, the statement lines naming
them, fee terms, shipping) with each order's cost of goods from the moving-average replay of the ledger
(`costs`) and what its returns cost (`returned`), and DuckDB computes the figures over them (`profit_facts`), on
SQLite and PostgreSQL alike. Amounts are minor units of the order's currency: a row per key and currency.
`flexhub.testing.profit_oracle` computes the same in plain Python for the tests."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import costs, profit_facts, profit_queries, returned
from flexhub.finance.errors import InvalidPeriod, UnknownDimension
from flexhub.kernel.clock import as_utc

DIMENSIONS = ("channel", "store", "streamer", "live_room", "sku", "category", "day", "month")
LINE_DIMENSIONS = frozenset({"sku", "category"})
FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds", "return_costs")


def profit_view(connection: Connection, tenant_id: uuid.UUID, by: str, start: datetime | None = None,
                end: datetime | None = None) -> dict[str, Any]:
    if by not in DIMENSIONS:
        raise UnknownDimension(f"profit is by one of {', '.join(DIMENSIONS)}, not {by!r}", dimensions=DIMENSIONS)
    start, end = (as_utc(t) if t else None for t in (start, end))
    if start and end and start >= end:
        raise InvalidPeriod("the period's start must come before its end", start=str(start), end=str(end))
    tables = profit_queries.profit_export(connection, tenant_id, start, end)
    tables |= _cost_tables(connection, tenant_id, dict(zip(tables["orders"]["order_id"],
                                                           tables["orders"]["currency"], strict=True)))
    sums = profit_facts.figures_by(tables, by)
    return {"by": by, "from": start, "to": end, "rows": [row(key, currency, total) for key, currency, total in sums]}


def row(key: str | None, currency: str, total: dict[str, int]) -> dict[str, Any]:
    """A key's figures with its gross profit and margin (four decimals; none without net revenue)."""
    gross_profit = total["revenue"] - total["discounts"] - total["platform_fees"] - total["cogs"] \
        - total["shipping"] - total["refunds"] - total["return_costs"]
    net = total["revenue"] - total["discounts"] - total["refunds"]
    return {"key": key, "currency": currency, **total, "gross_profit": gross_profit,
            "margin": round(gross_profit / net, 4) if net > 0 else None}


def _cost_tables(connection: Connection, tenant_id: uuid.UUID,
                 currencies: dict[str, str]) -> dict[str, dict[str, list[Any]]]:
    """Per order and SKU: the value of each unit shipped for it (positive), returned to stock or written off
    (negative), at the moving average of the moment it shipped or came back (`cogs_moves`); and what its returns
    cost, write-offs included (`return_costs`)."""
    moves: dict[str, list[Any]] = {"order_id": [], "sku_id": [], "value": []}
    spent: dict[str, list[Any]] = {"order_id": [], "sku_id": [], "value": []}
    if not currencies:
        return {"cogs_moves": moves, "return_costs": spent}
    _, costed = costs.ledger_costs(connection, tenant_id)
    found = returned.returned_costs(connection, tenant_id, currencies, costed)
    cogs = [(moved.entry.reference, moved.entry.sku_id, -moved.value) for moved in costed
            if moved.entry.reference in currencies and moved.entry.kind in ("ship", "return")]
    cogs += [(order_id, sku_id, -value) for (order_id, sku_id), value in found.writeoffs.items()]
    for table, rows in ((moves, cogs), (spent, [(*key, value) for key, value in found.writeoffs.items()]
                                              + [(*key, value) for key, value in found.costs.items()])):
        for order_id, sku_id, value in rows:
            table["order_id"].append(order_id)
            table["sku_id"].append(str(sku_id))
            table["value"].append(value)
    return {"cogs_moves": moves, "return_costs": spent}

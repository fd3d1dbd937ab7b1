"""Gross profit per store, channel, streamer, live room, SKU, category, day or month, over the orders placed in
a period (cancelled ones left out):

    revenue (lines at their price + the shipping the buyer paid) − discounts − platform fees − cost of goods
    − shipping − refunds = gross profit;  margin = gross profit / (revenue − discounts − refunds)

The hub's rows are exported for the period (`profit_queries.profit_export`: orders, lines, the statement lines naming
them, fee terms, shipping) with each order's cost of goods from the moving-average replay of the ledger
(`costs`), and DuckDB computes the figures over them (`profit_facts`), on SQLite and PostgreSQL alike. Amounts
are minor units of the order's currency: a row per key and currency. `flexhub.testing.profit_oracle` computes the
same in plain Python for the tests."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import costs, profit_facts, profit_queries
from flexhub.finance.errors import InvalidPeriod, UnknownDimension
from flexhub.kernel.clock import as_utc

DIMENSIONS = ("channel", "store", "streamer", "live_room", "sku", "category", "day", "month")
LINE_DIMENSIONS = frozenset({"sku", "category"})
FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds")


def profit_view(connection: Connection, tenant_id: uuid.UUID, by: str, start: datetime | None = None,
                end: datetime | None = None) -> dict[str, Any]:
    if by not in DIMENSIONS:
        raise UnknownDimension(f"profit is by one of {', '.join(DIMENSIONS)}, not {by!r}", dimensions=DIMENSIONS)
    start, end = (as_utc(t) if t else None for t in (start, end))
    if start and end and start >= end:
        raise InvalidPeriod("the period's start must come before its end", start=str(start), end=str(end))
    tables = profit_queries.profit_export(connection, tenant_id, start, end)
    tables["cogs_moves"] = _cogs_moves(connection, tenant_id, set(tables["orders"]["order_id"]))
    sums = profit_facts.figures_by(tables, by)
    return {"by": by, "from": start, "to": end, "rows": [row(key, currency, total) for key, currency, total in sums]}


def row(key: str | None, currency: str, total: dict[str, int]) -> dict[str, Any]:
    """A key's figures with its gross profit and margin (four decimals; none without net revenue)."""
    gross_profit = total["revenue"] - total["discounts"] - total["platform_fees"] - total["cogs"] \
        - total["shipping"] - total["refunds"]
    net = total["revenue"] - total["discounts"] - total["refunds"]
    return {"key": key, "currency": currency, **total, "gross_profit": gross_profit,
            "margin": round(gross_profit / net, 4) if net > 0 else None}


def _cogs_moves(connection: Connection, tenant_id: uuid.UUID, order_ids: set[str]) -> dict[str, list[Any]]:
    """Per order and SKU, the value of each unit shipped for it (positive) or returned to stock (negative), at
    the moving average of the moment it moved."""
    moves: dict[str, list[Any]] = {"order_id": [], "sku_id": [], "value": []}
    if not order_ids:
        return moves
    _, costed = costs.ledger_costs(connection, tenant_id)
    for moved in costed:
        if moved.entry.reference in order_ids and moved.entry.kind in ("ship", "return"):
            moves["order_id"].append(moved.entry.reference)
            moves["sku_id"].append(str(moved.entry.sku_id))
            moves["value"].append(-moved.value)
    return moves

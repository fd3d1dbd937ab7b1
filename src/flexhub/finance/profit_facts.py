"""Profit's figures computed by DuckDB over the rows `profit_queries.profit_export` read from the hub's database (SQLite
or PostgreSQL alike: DuckDB works on the copy, in memory, after the read transaction).

Per order: platform fees are what the statements charged on the lines naming it (sale, fee and refund lines),
else what the fee terms in force on the day it was placed allow on its total; refunds what its statement refund
lines gave back, else its total when the hub has it refunded; shipping what carriers charged for the waybills of
its shipments when any charge is known, else the rate card's price of its routed plan (both, like costs, already
in the order's currency: `order_costs`).

Per line: its price and discount, and the order's shipping paid, order discount, fees, shipping and refunds
shared by line value (`greatest(quantity × price − discount, 0)`; equal parts when every line is worth 0),
largest remainders first, so the lines add up to the order exactly. A line's cost of goods, and its return costs,
are its SKU's, shared by quantity among the lines selling that SKU, plus a share by value of what the order's
SKUs apart from its lines' cost (a bundle's components)."""

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import numpy as np

TEXT, COUNT, MOMENT, DAY = "VARCHAR", "BIGINT", "TIMESTAMP", "DATE"
SCHEMAS: dict[str, dict[str, str]] = {
    "orders": {"order_id": TEXT, "channel_id": TEXT, "external_id": TEXT, "store": TEXT, "platform": TEXT,
               "streamer": TEXT, "live_room": TEXT, "currency": TEXT, "shipping_fee": COUNT, "discount_total": COUNT,
               "total": COUNT, "payment_state": TEXT, "placed": MOMENT, "booked": MOMENT},
    "lines": {"order_id": TEXT, "line_no": COUNT, "sku_id": TEXT, "sku": TEXT, "category": TEXT, "quantity": COUNT,
              "unit_price": COUNT, "discount": COUNT},
    "statement_lines": {"channel_id": TEXT, "external_id": TEXT, "kind": TEXT, "amount": COUNT, "fee": COUNT},
    "terms": {"channel_id": TEXT, "effective_from": DAY, "commission_ppm": COUNT, "payment_fee_ppm": COUNT,
              "fixed_per_order": COUNT},
    "shipping": {"order_id": TEXT, "price": COUNT},
    "carrier_charges": {"order_id": TEXT, "amount": COUNT},
    "cogs_moves": {"order_id": TEXT, "sku_id": TEXT, "value": COUNT},
    "return_costs": {"order_id": TEXT, "sku_id": TEXT, "value": COUNT},
}
SHARED = ("shipping_fee", "order_discount", "platform_fees", "shipping", "refunds")
ORDER_KEYS = {"channel": "platform", "store": "store", "streamer": "streamer", "live_room": "live_room",
              "day": "strftime(booked, '%Y-%m-%d')", "month": "strftime(booked, '%Y-%m')"}
LINE_KEYS = {"sku": "sku", "category": "category"}
FIGURES = ("revenue", "discounts", "platform_fees", "cogs", "shipping", "refunds", "return_costs")
FIGURE_SUMS = ", ".join(f"CAST(coalesce(sum({name}), 0) AS BIGINT) AS {name}" for name in FIGURES)


def figures_by(tables: Mapping[str, Mapping[str, Sequence[Any]]], by: str) -> list[tuple[str | None, str,
                                                                                          dict[str, int]]]:
    """(key, currency, figures) for every key of `by` (an order or a line dimension), sorted by key (none
    last), then currency."""
    connection = connect(tables)
    try:
        if by in LINE_KEYS:
            query = (f"SELECT {LINE_KEYS[by]} AS key, currency, {FIGURE_SUMS} FROM line_figures "
                     "JOIN orders USING (order_id) GROUP BY 1, 2")
        else:
            query = (f"SELECT {ORDER_KEYS[by]} AS key, currency, {FIGURE_SUMS} FROM orders "
                     "LEFT JOIN line_figures USING (order_id) GROUP BY 1, 2")
        found = connection.execute(f"{query} ORDER BY 1 NULLS LAST, 2").fetchall()
    finally:
        connection.close()
    return [(key, currency, dict(zip(FIGURES, (int(v) for v in values), strict=True)))
            for key, currency, *values in found]


def connect(tables: Mapping[str, Mapping[str, Sequence[Any]]]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the exported tables and the facts built over them."""
    connection = duckdb.connect()
    for name, schema in SCHEMAS.items():
        columns = tables.get(name, {})
        connection.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {t}' for c, t in schema.items())})")
        data = {c: np.array(list(columns.get(c, [])), dtype=np.int64 if t == COUNT else object)
                for c, t in schema.items()}
        if len(next(iter(data.values()))):
            connection.register("exported", data)
            connection.execute(f"INSERT INTO {name} SELECT * FROM exported")
            connection.unregister("exported")
    for statement in STATEMENTS:
        connection.execute(statement)
    return connection


def shares(amounts: Sequence[tuple[int, Sequence[int]]]) -> list[list[int]]:
    """Each amount shared over its weights by the same SQL as profit's (for the tests beside the oracle's)."""
    rows = [(str(k), n, weight, amount) for k, (amount, weights) in enumerate(amounts)
            for n, weight in enumerate(weights)]
    connection = duckdb.connect()
    try:
        connection.execute("CREATE TABLE to_share (order_id VARCHAR, grp VARCHAR, n BIGINT, weight BIGINT, "
                           "amount BIGINT)")
        if rows:
            connection.executemany("INSERT INTO to_share VALUES (?, 'x', ?, ?, ?)", rows)
        connection.execute(SHARE)
        found = connection.execute("SELECT CAST(order_id AS INTEGER), n, part FROM shared ORDER BY 1, 2").fetchall()
    finally:
        connection.close()
    parts: list[list[int]] = [[] for _ in amounts]
    for k, _, part in found:
        parts[k].append(int(part))
    return parts


# Largest remainders: each part is floor(|amount| × weight / total weight); the units left go one each to the
# parts with the largest remainders (the earlier line first on a tie); the sign is the amount's.
SHARE = """
CREATE OR REPLACE TABLE shared AS
WITH weighed AS (
  SELECT order_id, grp, n, abs(CAST(amount AS HUGEINT)) AS whole, sign(amount) AS sign,
         CASE WHEN sum(weight) OVER g = 0 THEN 1 ELSE weight END AS weight,
         CASE WHEN sum(weight) OVER g = 0 THEN count(*) OVER g ELSE sum(weight) OVER g END AS total
  FROM to_share WINDOW g AS (PARTITION BY order_id, grp)
), based AS (
  SELECT *, whole * weight // total AS base, whole * weight % total AS remainder FROM weighed
)
SELECT order_id, grp, n,
       CAST(sign * (base + CASE WHEN row_number() OVER (PARTITION BY order_id, grp ORDER BY remainder DESC, n)
                                     <= whole - sum(base) OVER (PARTITION BY order_id, grp) THEN 1 ELSE 0 END)
            AS BIGINT) AS part
FROM based
"""

_SHARED_SELECTS = " UNION ALL ".join(
    f"SELECT l.order_id, '{name}' AS grp, l.line_no AS n, greatest(l.quantity * l.unit_price - l.discount, 0) "
    f"AS weight, a.{name} AS amount "
    "FROM lines l JOIN order_amounts a USING (order_id)" for name in SHARED)


def _by_sku(table: str, group: str) -> str:
    """The rows sharing `table`'s amounts per order and SKU (a `group` per SKU) over the lines selling that SKU, by
    quantity, and what the order's other SKUs (a bundle's components) amount to (`group`) over its lines by value."""
    return f"""
       SELECT l.order_id, '{group}:' || l.sku_id, l.line_no, l.quantity, coalesce(c.value, 0)
       FROM lines l LEFT JOIN {table} c ON c.order_id = l.order_id AND c.sku_id = l.sku_id
       UNION ALL
       SELECT l.order_id, '{group}', l.line_no, greatest(l.quantity * l.unit_price - l.discount, 0), r.rest
       FROM lines l JOIN (
         SELECT c.order_id, sum(c.value) AS rest FROM {table} c
         WHERE NOT EXISTS (SELECT 1 FROM lines l WHERE l.order_id = c.order_id AND l.sku_id = c.sku_id)
         GROUP BY c.order_id) r ON r.order_id = l.order_id"""


STATEMENTS = [
    # half up, as the fee terms' rates are applied (rules.share)
    """CREATE MACRO ppm_share(amount, ppm) AS
       CASE WHEN amount >= 0 THEN (amount * ppm * 2 + 1000000) // 2000000
            ELSE -((-amount * ppm * 2 + 1000000) // 2000000) END""",

    """CREATE TABLE settled AS
       SELECT channel_id, external_id,
              sum(CASE WHEN kind IN ('sale', 'fee', 'refund') THEN fee ELSE 0 END) AS fees,
              sum(CASE WHEN kind = 'refund' THEN -amount ELSE 0 END) AS refunds
       FROM statement_lines GROUP BY ALL""",

    """CREATE TABLE in_force AS
       SELECT o.order_id, t.commission_ppm, t.payment_fee_ppm, t.fixed_per_order
       FROM orders o ASOF JOIN terms t
         ON o.channel_id = t.channel_id AND CAST(o.placed AS DATE) >= t.effective_from""",

    """CREATE TABLE order_amounts AS
       SELECT o.order_id, o.shipping_fee,
              o.discount_total - coalesce((SELECT sum(l.discount) FROM lines l WHERE l.order_id = o.order_id), 0)
                AS order_discount,
              CASE WHEN s.external_id IS NOT NULL THEN s.fees
                   WHEN f.order_id IS NOT NULL THEN ppm_share(o.total, f.commission_ppm)
                        + ppm_share(o.total, f.payment_fee_ppm) + f.fixed_per_order
                   ELSE 0 END AS platform_fees,
              coalesce(cc.charged, sh.price, 0) AS shipping,
              CASE WHEN s.external_id IS NOT NULL THEN s.refunds
                   WHEN o.payment_state = 'refunded' THEN o.total ELSE 0 END AS refunds
       FROM orders o
       LEFT JOIN settled s ON s.channel_id = o.channel_id AND s.external_id = o.external_id
       LEFT JOIN in_force f ON f.order_id = o.order_id
       LEFT JOIN shipping sh ON sh.order_id = o.order_id
       LEFT JOIN (SELECT order_id, sum(amount) AS charged FROM carrier_charges GROUP BY ALL) cc
         ON cc.order_id = o.order_id""",

    """CREATE TABLE order_cogs AS
       SELECT order_id, sku_id, sum(value) AS value FROM cogs_moves GROUP BY ALL""",

    """CREATE TABLE order_return_costs AS
       SELECT order_id, sku_id, sum(value) AS value FROM return_costs GROUP BY ALL""",

    f"""CREATE TABLE to_share AS
       {_SHARED_SELECTS}
       UNION ALL {_by_sku("order_cogs", "cogs")}
       UNION ALL {_by_sku("order_return_costs", "returned")}""",

    SHARE,

    """CREATE TABLE line_figures AS
       SELECT l.order_id, l.line_no, l.sku, l.category,
              l.quantity * l.unit_price + coalesce(sum(s.part) FILTER (s.grp = 'shipping_fee'), 0) AS revenue,
              l.discount + coalesce(sum(s.part) FILTER (s.grp = 'order_discount'), 0) AS discounts,
              coalesce(sum(s.part) FILTER (s.grp = 'platform_fees'), 0) AS platform_fees,
              coalesce(sum(s.part) FILTER (s.grp LIKE 'cogs%'), 0) AS cogs,
              coalesce(sum(s.part) FILTER (s.grp = 'shipping'), 0) AS shipping,
              coalesce(sum(s.part) FILTER (s.grp = 'refunds'), 0) AS refunds,
              coalesce(sum(s.part) FILTER (s.grp LIKE 'returned%'), 0) AS return_costs
       FROM lines l LEFT JOIN shared s ON s.order_id = l.order_id AND s.n = l.line_no
       GROUP BY l.order_id, l.line_no, l.sku, l.category, l.quantity, l.unit_price, l.discount""",
]

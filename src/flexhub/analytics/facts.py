"""Facts in DuckDB: the source tables shaped into one row per order, order line, SKU-node-day and SKU-day.

Definitions (the window is the last `days` calendar days in UTC, today included):

- An order is *received* when flexhub stored it (`orders.created_at`) and *shipped* when its last
  unit left: the latest ledger `ship` movement whose reference is the order's id (as `reserve` and
  `release` movements reference it). Only orders in a shipped state (shipped, delivered, closed)
  count. Where such an order has no `ship` movement (its shipment was only reported as a status),
  its `updated_at` stands in for the moment it shipped — an approximation that can only overstate
  (a later change, such as delivered, moves `updated_at` on); those orders are marked `status`.
- An order line is *filled* when stock was reserved for it (a reservation row for the line, in any
  state since); a line that never got stock (still awaiting, or cancelled first) is unfilled demand.
- The stock of a SKU at a node on a day is rebuilt from the ledger: on hand and available
  (on hand − reserved) at the end of the day, all pools together; units shipped are its `ship`
  movements. A SKU-node pair counts from its first movement; a SKU network-wide counts from its
  first movement or its first order in the window, whichever is earlier. Bundles hold no stock.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import duckdb
import pyarrow as pa

from flexhub.kernel import clock

SHIPPED = ("shipped", "delivered", "closed")


@dataclass(frozen=True, slots=True)
class Window:
    days: int
    start: datetime  # midnight UTC of the first day, naive (as the facts hold times)
    end: datetime  # now, naive UTC

    @classmethod
    def last(cls, days: int, now: datetime | None = None) -> "Window":
        end = clock.as_utc(now or clock.now()).replace(tzinfo=None)
        return cls(days, datetime.combine(end.date() - timedelta(days=days - 1), time()), end)


def build(tables: dict[str, pa.Table], window: Window) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the source tables and the facts over them."""
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    connection.execute("CREATE TABLE bounds AS SELECT CAST($start AS TIMESTAMP) AS start,"
                       " CAST($end AS TIMESTAMP) AS stop", {"start": window.start, "end": window.end})
    for statement in STATEMENTS:
        connection.execute(statement)
    return connection


SHIPPED_SQL = ", ".join(f"'{status}'" for status in SHIPPED)

STATEMENTS = [
    """CREATE TABLE calendar AS
       SELECT CAST(d AS DATE) AS day
       FROM bounds, range(CAST(start AS DATE), CAST(stop AS DATE) + INTERVAL 1 DAY, INTERVAL 1 DAY) t(d)""",

    """CREATE TABLE shipments AS
       SELECT reference AS order_id, max(moved_at) AS shipped_at, arg_max(node, moved_at) AS node
       FROM movements WHERE kind = 'ship' AND reference IS NOT NULL GROUP BY reference""",

    f"""CREATE TABLE order_facts AS
       SELECT *, date_diff('millisecond', received_at, shipped_at) / 1000.0 AS processing_s FROM (
         SELECT o.order_id, o.channel, o.platform, o.status, o.received_at,
                CASE WHEN o.status IN ({SHIPPED_SQL}) THEN coalesce(s.shipped_at, o.updated_at) END AS shipped_at,
                CASE WHEN o.status NOT IN ({SHIPPED_SQL}) THEN NULL WHEN s.shipped_at IS NULL THEN 'status'
                     ELSE 'ledger' END AS timing,
                CASE WHEN o.status IN ({SHIPPED_SQL}) THEN s.node END AS node
         FROM orders o LEFT JOIN shipments s USING (order_id), bounds
         WHERE o.received_at >= bounds.start)""",

    """CREATE TABLE line_facts AS
       SELECT l.order_id, l.line_no, l.sku, l.quantity, o.channel, o.received_at,
              EXISTS (SELECT 1 FROM reservations r WHERE r.order_id = l.order_id AND r.line_no = l.line_no) AS filled
       FROM order_lines l JOIN orders o USING (order_id), bounds
       WHERE o.received_at >= bounds.start""",

    """CREATE TABLE stock_days AS
       WITH opening AS (
         SELECT sku, node, CAST(sum(on_hand_delta) AS BIGINT) AS on_hand,
                CAST(sum(reserved_delta) AS BIGINT) AS reserved
         FROM movements, bounds WHERE moved_at < bounds.start GROUP BY sku, node),
       changes AS (
         SELECT sku, node, CAST(moved_at AS DATE) AS day, CAST(sum(on_hand_delta) AS BIGINT) AS on_hand,
                CAST(sum(reserved_delta) AS BIGINT) AS reserved,
                CAST(-sum(on_hand_delta) FILTER (WHERE kind = 'ship') AS BIGINT) AS shipped
         FROM movements, bounds WHERE moved_at >= bounds.start GROUP BY sku, node, day),
       pairs AS (SELECT sku, node, CAST(min(moved_at) AS DATE) AS since FROM movements GROUP BY sku, node)
       SELECT p.sku, p.node, k.node_kind, c.day,
              CAST(coalesce(o.on_hand, 0) + sum(coalesce(ch.on_hand, 0)) OVER w AS BIGINT) AS on_hand,
              CAST(coalesce(o.on_hand, 0) - coalesce(o.reserved, 0)
                   + sum(coalesce(ch.on_hand, 0) - coalesce(ch.reserved, 0)) OVER w AS BIGINT) AS available,
              coalesce(ch.shipped, 0) AS shipped
       FROM pairs p JOIN calendar c ON c.day >= p.since
       JOIN (SELECT node, any_value(node_kind) AS node_kind FROM movements GROUP BY node) k ON k.node = p.node
       LEFT JOIN opening o ON o.sku = p.sku AND o.node = p.node
       LEFT JOIN changes ch ON ch.sku = p.sku AND ch.node = p.node AND ch.day = c.day
       WINDOW w AS (PARTITION BY p.sku, p.node ORDER BY c.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)""",

    """CREATE TABLE sku_days AS
       WITH demand AS (
         SELECT l.sku, CAST(min(l.received_at) AS DATE) AS since
         FROM line_facts l JOIN skus s USING (sku) WHERE NOT s.is_bundle GROUP BY l.sku),
       stocked AS (SELECT sku, min(day) AS since FROM stock_days GROUP BY sku),
       known AS (SELECT sku, min(since) AS since FROM (SELECT * FROM demand UNION ALL SELECT * FROM stocked)
                 GROUP BY sku)
       SELECT k.sku, c.day, CAST(coalesce(sum(d.on_hand), 0) AS BIGINT) AS on_hand,
              CAST(coalesce(sum(d.available), 0) AS BIGINT) AS available,
              CAST(coalesce(sum(d.shipped), 0) AS BIGINT) AS shipped
       FROM known k JOIN calendar c ON c.day >= k.since
       LEFT JOIN stock_days d ON d.sku = k.sku AND d.day = c.day
       GROUP BY k.sku, c.day""",
]

FACTS = ("order_facts", "line_facts", "stock_days", "sku_days")

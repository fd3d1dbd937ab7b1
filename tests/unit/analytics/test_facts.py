"""Facts from hand-made tables, without a database: what counts as shipped, filled, on hand and out."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from flexhub.analytics.facts import Window, build
from flexhub.analytics.kpis import table
from flexhub.analytics.queries import SCHEMAS, frame

NOW = datetime(2025, 6, 18, 12, 0)
WEEK = Window.last(7, now=NOW.replace(tzinfo=UTC))


def at(day: int, hour: int = 12) -> datetime:
    """A moment on June `day`, 2025 (naive UTC, as the facts hold it)."""
    return datetime(2025, 6, day, hour)


def tables(**rows: list[tuple]) -> dict[str, Any]:
    return {name: frame(rows.get(name, []), schema).to_arrow() for name, schema in SCHEMAS.items()}


def move(sku: str, node: str, kind: str, on_hand: int, reserved: int, when: datetime, reference: str | None = None):
    return (sku, node, "central", "spot", kind, on_hand, reserved, reference, when)


def order(order_id: str, status: str, received: datetime, updated: datetime | None = None, channel: str = "web"):
    return (order_id, channel, "generic", status, received, updated or received)


def rows(connection: Any, query: str) -> list[tuple]:
    return connection.sql(query).fetchall()


def test_the_window_is_whole_utc_days_ending_now() -> None:
    window = Window.last(7, now=datetime(2025, 6, 18, 20, 30, tzinfo=timezone(timedelta(hours=8))))
    assert (window.start, window.end) == (datetime(2025, 6, 12), datetime(2025, 6, 18, 12, 30))


def test_stock_is_rebuilt_day_by_day_from_an_opening_balance() -> None:
    connection = build(tables(movements=[
        move("TEE", "WH", "receive", 10, 0, at(1)),  # before the window: part of the opening balance
        move("TEE", "WH", "reserve", 0, 4, at(14)),
        move("TEE", "WH", "ship", -3, -3, at(16)),
    ]), WEEK)
    assert rows(connection, "SELECT day, on_hand, available, shipped FROM stock_days ORDER BY day") == [
        (date(2025, 6, d), on_hand, available, shipped) for d, on_hand, available, shipped in [
            (12, 10, 10, 0), (13, 10, 10, 0), (14, 10, 6, 0), (15, 10, 6, 0), (16, 7, 6, 3), (17, 7, 6, 0),
            (18, 7, 6, 0)]]


def test_an_order_is_timed_by_its_last_ship_movement_else_by_its_status() -> None:
    connection = build(tables(
        orders=[order("a", "shipped", at(16, 8), at(17, 9)), order("b", "delivered", at(16, 8), at(16, 11)),
                order("c", "partially_shipped", at(16, 8)), order("d", "shipped", at(1), at(2))],
        movements=[move("TEE", "WH", "ship", -1, -1, at(16, 9), "a"),
                   move("TEE", "EAST", "ship", -1, -1, at(16, 10), "a"),
                   move("TEE", "WH", "ship", -1, -1, at(16, 9), "c")]), WEEK)
    assert rows(connection, "SELECT order_id, timing, node, processing_s FROM order_facts ORDER BY order_id") == [
        ("a", "ledger", "EAST", 7200.0),  # the last unit left at 10:00, from EAST
        ("b", "status", None, 10800.0),  # no ship movement: updated_at stands in
        ("c", None, None, None),  # not all of it has left yet
    ]  # d was received before the window


def test_a_line_is_filled_when_stock_was_reserved_for_it_whatever_became_of_that() -> None:
    connection = build(tables(
        orders=[order("a", "cancelled", at(16))],
        order_lines=[("a", 1, "TEE", 2), ("a", 2, "MUG", 1)],
        reservations=[("a", 1, 2, "released")]), WEEK)
    assert rows(connection, "SELECT sku, filled FROM line_facts ORDER BY line_no") == [("TEE", True), ("MUG", False)]


def test_bundles_hold_no_stock_so_their_demand_is_not_a_stock_out() -> None:
    connection = build(tables(
        orders=[order("a", "awaiting_stock", at(17))],
        order_lines=[("a", 1, "GIFT-SET", 1), ("a", 2, "MUG", 1)],
        skus=[("GIFT-SET", True), ("MUG", False)]), WEEK)
    assert rows(connection, "SELECT sku, day, available FROM sku_days ORDER BY day") == [
        ("MUG", date(2025, 6, 17), 0), ("MUG", date(2025, 6, 18), 0)]
    assert table(connection, "stock_out_rate").to_dicts() == [{"days": 2, "days_out": 2, "stock_out_rate": 1.0}]

"""The order writer's column lists are its tables' columns: a column added to a model is not left out."""

import pytest

from flexhub.db.outbox import OutboxEvent
from flexhub.identity.model import AuditEntry
from flexhub.inventory.model import Reservation, StockMovement
from flexhub.ordering.model import Order, OrderLine
from flexhub.ordering.writer import sql


@pytest.mark.parametrize(("model", "columns", "left_to_the_database"), [
    (Order, sql.ORDER_COLUMNS, set()),
    (OrderLine, sql.LINE_COLUMNS, set()),
    (Reservation, sql.RESERVATION_COLUMNS, set()),
    (StockMovement, sql.MOVEMENT_COLUMNS, set()),
    (AuditEntry, sql.AUDIT_COLUMNS, set()),
    (OutboxEvent, sql.OUTBOX_COLUMNS, {"seq", "published_at", "claimed_by", "claimed_until"}),  # NULL until relayed
])
def test_every_column_is_written(model: type, columns: tuple[str, ...], left_to_the_database: set[str]) -> None:
    assert len(set(columns)) == len(columns)
    assert set(columns) == {c.name for c in model.__table__.columns} - left_to_the_database


@pytest.mark.parametrize(("key", "model"), [
    ("orders", Order), ("lines", OrderLine), ("reservations", Reservation), ("movements", StockMovement),
    ("audits", AuditEntry), ("outbox", OutboxEvent),
])
def test_the_rows_statement_writes_each_table_once_from_its_own_row_type(key: str, model: type) -> None:
    table = model.__tablename__
    assert sql.TABLES[key][0] == table and sorted(sql.WRITTEN) == sorted(sql.TABLES)
    assert sql.WRITE_ROWS.count(f"INSERT INTO {table} (") == 1
    assert sql.WRITE_ROWS.count(f"json_populate_recordset(NULL::{table}, %s::json)") == 1

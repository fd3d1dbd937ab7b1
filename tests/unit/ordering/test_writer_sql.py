"""The order writer's COPY column lists are its tables' columns: a column added to a model is not left out."""

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


def test_copy_targets_name_the_tables() -> None:
    assert sql.COPY_ORDERS.startswith(f"COPY {Order.__tablename__} (id, tenant_id,")
    assert sql.COPY_AUDIT.startswith(f"COPY {AuditEntry.__tablename__} (")
    assert sql.COPY_OUTBOX.startswith(f"COPY {OutboxEvent.__tablename__} (")

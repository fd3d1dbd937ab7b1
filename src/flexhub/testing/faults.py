"""Faults planted past the hub's guards, for tests that show a counter sees what it exists to count.

Each writes rows the hub itself never would: a reservation the stock levels do not know (written around
the guarded update), a level holding more than it has on hand (with the CHECK constraint lifted for the
transaction), a shipment or a stock change the ledger does not explain. They take the caller's connection,
so a test can plant, count and roll the whole fault back.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Row, insert, select, text, update

from flexhub.catalog.model import Sku
from flexhub.inventory.model import Reservation, StockLevel, StockMovement
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id

ACTOR = "test:planted-fault"
LevelRow = Row[*tuple[Any, ...]]  # a stock_levels row read through Core: its columns by name


def level_of(connection: Connection, tenant_id: uuid.UUID, sku: str) -> LevelRow:
    """The SKU's first stock level row (its location and pool say where the fault goes)."""
    level = connection.execute(select(StockLevel).join(Sku, Sku.id == StockLevel.sku_id)
                               .where(StockLevel.tenant_id == tenant_id, Sku.code == sku)
                               .order_by(StockLevel.location_id, StockLevel.pool)).first()
    if level is None:
        raise LookupError(f"{sku} has no stock level to plant a fault in")
    return level


def reserve_around_the_levels(connection: Connection, tenant_id: uuid.UUID, sku: str, units: int) -> None:
    """An active reservation with no change to its level row nor a ledger posting: the guard never saw it."""
    level = level_of(connection, tenant_id, sku)
    connection.execute(insert(Reservation).values(
        id=new_id(), tenant_id=tenant_id, sku_id=level.sku_id, location_id=level.location_id, pool=level.pool,
        quantity=units, state="active", created_at=clock.now()))


@contextmanager
def stock_check_lifted(connection: Connection) -> Iterator[None]:
    """Inside the caller's transaction, stock_levels stops refusing reserved > on hand. PostgreSQL: the
    constraint is dropped (DDL is transactional: a rollback restores it). SQLite: CHECK constraints are
    ignored on this connection until the block ends."""
    if connection.dialect.name == "postgresql":
        name = connection.execute(text(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'stock_levels'::regclass AND contype = 'c'"
            " AND conname LIKE '%reserved_within_on_hand%'")).scalar_one()
        connection.execute(text(f'ALTER TABLE stock_levels DROP CONSTRAINT "{name}"'))
        yield
        return
    connection.execute(text("PRAGMA ignore_check_constraints = ON"))
    try:
        yield
    finally:
        connection.execute(text("PRAGMA ignore_check_constraints = OFF"))


def reserve_past_on_hand(connection: Connection, tenant_id: uuid.UUID, sku: str, units: int) -> None:
    """A reservation of `units` recorded everywhere (reservation, level, ledger) as the hub would, but past
    what the level has on hand: only possible with `stock_check_lifted`."""
    level = level_of(connection, tenant_id, sku)
    connection.execute(insert(Reservation).values(
        id=new_id(), tenant_id=tenant_id, sku_id=level.sku_id, location_id=level.location_id, pool=level.pool,
        quantity=units, state="active", created_at=clock.now()))
    connection.execute(update(StockLevel).where(StockLevel.id == level.id)
                       .values(reserved=StockLevel.reserved + units))
    _post(connection, level, "reserve", reserved_delta=units)


def ship_around_the_levels(connection: Connection, tenant_id: uuid.UUID, sku: str, units: int) -> None:
    """A shipment in the ledger that its level row never saw (and no reservation was held for)."""
    _post(connection, level_of(connection, tenant_id, sku), "ship", on_hand_delta=-units)


def change_on_hand_around_the_ledger(connection: Connection, tenant_id: uuid.UUID, sku: str, units: int) -> None:
    """On hand changed on the level row with no ledger posting to explain it."""
    level = level_of(connection, tenant_id, sku)
    connection.execute(update(StockLevel).where(StockLevel.id == level.id)
                       .values(on_hand=StockLevel.on_hand + units))


def _post(connection: Connection, level: LevelRow, kind: str, **deltas: int) -> None:
    connection.execute(insert(StockMovement).values(
        id=new_id(), tenant_id=level.tenant_id, sku_id=level.sku_id, location_id=level.location_id,
        pool=level.pool, kind=kind, actor=ACTOR, reason="planted fault", created_at=clock.now(),
        **{"on_hand_delta": 0, "reserved_delta": 0, "in_transit_delta": 0, **deltas}))

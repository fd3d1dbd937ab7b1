"""The only place with inventory SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, Update, bindparam, delete, insert, select, update

from flexhub.db.portable import for_update, insert_missing
from flexhub.inventory.errors import InsufficientStock
from flexhub.inventory.model import (
    BinAssignment,
    Location,
    Reservation,
    StockLevel,
    StockMovement,
    Transfer,
    TransferLine,
)
from flexhub.inventory.rules import Delta, Level, LevelKey
from flexhub.kernel.ids import new_id


def ensure_levels(connection: Connection, tenant_id: uuid.UUID, keys: Iterable[LevelKey]) -> None:
    rows = [
        {"id": new_id(), "tenant_id": tenant_id, "sku_id": s, "location_id": loc, "pool": p}
        for s, loc, p in set(keys)
    ]
    insert_missing(
        connection, StockLevel.__table__, rows, ["tenant_id", "sku_id", "location_id", "pool"]
    )


def lock_levels(
    connection: Connection,
    tenant_id: uuid.UUID,
    sku_ids: Iterable[uuid.UUID],
    *,
    pools: Iterable[str] | None = None,
    shipping_only: bool = False,
) -> list[Level]:
    """Lock the rows in id order (no deadlocks), returned in candidate order: location priority, code."""
    query = (
        select(StockLevel, Location.priority, Location.code)
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(set(sku_ids)))
        .order_by(StockLevel.id)
    )
    if pools is not None:
        query = query.where(StockLevel.pool.in_(set(pools)))
    if shipping_only:
        query = query.where(Location.can_ship.is_(True))
    rows = connection.execute(for_update(query, connection, of=StockLevel)).all()
    return [_level(r) for r in sorted(rows, key=lambda r: (r.priority, r.code))]


def lock_levels_by_key(
    connection: Connection, tenant_id: uuid.UUID, keys: Sequence[LevelKey]
) -> dict[LevelKey, Level]:
    sku_ids = {k[0] for k in keys}
    wanted = set(keys)
    levels = lock_levels(connection, tenant_id, sku_ids, pools={k[2] for k in keys})
    return {(lv.sku_id, lv.location_id, lv.pool): lv for lv in levels if (lv.sku_id, lv.location_id, lv.pool) in wanted}


def write_levels(connection: Connection, deltas: dict[uuid.UUID, Delta]) -> None:
    """Apply each delta as a guarded update; a row that no longer satisfies the guard is a conflict."""
    for level_id in sorted(deltas):
        delta = deltas[level_id]
        if delta.is_zero():
            continue
        values = {"level_id": level_id, "on_hand_delta": delta.on_hand, "reserved_delta": delta.reserved,
                  "in_transit_delta": delta.in_transit}
        result = connection.execute(_RESERVING_UPDATE if delta.reserved > 0 else _GUARDED_UPDATE, values)
        if result.rowcount != 1:
            raise InsufficientStock("stock changed underneath; not enough available", level_id=str(level_id))


def _guarded_update(*, reserving: bool) -> Update:
    """Built once: a batch touching many levels (many SKUs) would otherwise build one statement per level."""
    table = StockLevel
    on_hand: BindParameter[int] = bindparam("on_hand_delta")
    reserved: BindParameter[int] = bindparam("reserved_delta")
    in_transit: BindParameter[int] = bindparam("in_transit_delta")
    guards = [
        table.id == bindparam("level_id"),
        table.on_hand + on_hand >= table.reserved + reserved,
        table.reserved + reserved >= 0,
        table.in_transit + in_transit >= 0,
    ]
    if reserving:
        guards.append(table.on_hand + on_hand - table.reserved - reserved - table.safety >= 0)
    return update(table).where(*guards).values(
        on_hand=table.on_hand + on_hand, reserved=table.reserved + reserved, in_transit=table.in_transit + in_transit
    )


_GUARDED_UPDATE = _guarded_update(reserving=False)
_RESERVING_UPDATE = _guarded_update(reserving=True)


def set_safety(connection: Connection, level_id: uuid.UUID, safety: int) -> None:
    connection.execute(update(StockLevel).where(StockLevel.id == level_id).values(safety=safety))


def append_movements(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(StockMovement), rows)


def insert_reservations(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(Reservation), rows)


def active_reservations(
    connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID]
) -> list[Any]:
    query = select(Reservation).where(
        Reservation.tenant_id == tenant_id,
        Reservation.order_id.in_(set(order_ids)),
        Reservation.state == "active",
    )
    return list(connection.execute(for_update(query, connection)).all())


def close_reservations(connection: Connection, ids: Iterable[uuid.UUID], state: str, at: Any) -> None:
    ids = list(ids)
    if ids:
        connection.execute(
            update(Reservation).where(Reservation.id.in_(ids)).values(state=state, closed_at=at)
        )


def clear_expiry(connection: Connection, order_ids: Sequence[uuid.UUID]) -> None:
    query = update(Reservation).where(Reservation.order_id.in_(order_ids), Reservation.state == "active")
    connection.execute(query.values(expires_at=None))


def expired_order_ids(connection: Connection, now: Any, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(tenant_id, order_id) of orders holding active reservations past their expiry, across tenants."""
    query = (
        select(Reservation.tenant_id, Reservation.order_id)
        .where(Reservation.state == "active", Reservation.expires_at < now)
        .distinct()
        .limit(limit)
    )
    return [(r.tenant_id, r.order_id) for r in connection.execute(query)]


def location_by_code(connection: Connection, tenant_id: uuid.UUID, code: str) -> Any:
    query = select(Location).where(Location.tenant_id == tenant_id, Location.code == code)
    return connection.execute(query).first()


def _level(row: Any) -> Level:
    lv = row.StockLevel if hasattr(row, "StockLevel") else row
    return Level(lv.id, lv.sku_id, lv.location_id, lv.pool, lv.on_hand, lv.reserved, lv.safety, lv.in_transit)


def insert_location(connection: Connection, values: dict[str, Any]) -> None:
    connection.execute(insert(Location).values(**values))


def insert_transfer(connection: Connection, values: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    connection.execute(insert(Transfer).values(**values))
    connection.execute(insert(TransferLine), lines)


def lock_transfer(connection: Connection, tenant_id: uuid.UUID, transfer_id: uuid.UUID) -> Any:
    """Locked: a concurrent receipt of the same transfer waits, then finds it received."""
    query = select(Transfer).where(Transfer.tenant_id == tenant_id, Transfer.id == transfer_id)
    return connection.execute(for_update(query, connection)).first()


def transfer_lines(connection: Connection, transfer_id: uuid.UUID) -> list[Any]:
    return list(connection.execute(select(TransferLine).where(TransferLine.transfer_id == transfer_id)))


def update_transfer(connection: Connection, tenant_id: uuid.UUID, transfer_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(Transfer).where(Transfer.tenant_id == tenant_id, Transfer.id == transfer_id)
                       .values(**values))


def active_reservations_at(connection: Connection, tenant_id: uuid.UUID, key: LevelKey) -> list[Any]:
    """Active reservations held on one level, oldest first, locked."""
    sku_id, location_id, pool = key
    query = (select(Reservation)
             .where(Reservation.tenant_id == tenant_id, Reservation.sku_id == sku_id,
                    Reservation.location_id == location_id, Reservation.pool == pool, Reservation.state == "active")
             .order_by(Reservation.created_at, Reservation.id))
    return list(connection.execute(for_update(query, connection)).all())


def put_bins(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Each SKU's bin at the node, replaced where one was set."""
    for row in rows:
        connection.execute(delete(BinAssignment).where(BinAssignment.location_id == row["location_id"],
                                                       BinAssignment.sku_id == row["sku_id"]))
    if rows:
        connection.execute(insert(BinAssignment), rows)

"""What tests read back: stock levels, reservations, ledger, outbox and audit entries, and a snapshot of all
of them to assert that a refused command changed nothing. Audit entries are as readers see them: a batch's row
(identity.audit) is each entry it lists."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from flexhub import planning
from flexhub.bootstrap import Hub
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.audit import entries_of
from flexhub.identity.model import AuditEntry
from flexhub.inventory.model import Reservation, StockLevel, StockMovement
from flexhub.inventory.queries import levels_for_sku, verify_ledger
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order, OrderLine
from flexhub.ordering.queries import order_view


@dataclass(frozen=True)
class Snapshot:
    """Every row a write could touch, in a comparable form."""

    levels: tuple[tuple, ...]
    reservations: tuple[tuple, ...]
    orders: tuple[tuple, ...]
    order_lines: int
    ledger_rows: int
    outbox_rows: int
    audit_rows: int  # entries: each of a batch's row's counts


def snapshot(hub: Hub) -> Snapshot:
    with hub.uow(write=False) as uow:
        c = uow.connection
        return Snapshot(
            levels=_rows(c, StockLevel, "id", "on_hand", "reserved", "safety", "in_transit"),
            reservations=_rows(c, Reservation, "id", "state", "quantity", "expires_at"),
            orders=_rows(c, Order, "id", "status", "version", "payment_state", "total"),
            order_lines=_count(c, OrderLine),
            ledger_rows=_count(c, StockMovement),
            outbox_rows=_count(c, OutboxEvent),
            audit_rows=len(_audit(c)),
        )


def levels(hub: Hub, actor: Actor, sku: str) -> dict[tuple[str, str], dict[str, Any]]:
    """A SKU's levels keyed by (location code, pool)."""
    with hub.uow(write=False) as uow:
        found = levels_for_sku(uow.connection, actor.tenant_id, sku)["levels"]
    return {(lv["location"], lv["pool"]): lv for lv in found}


def level(hub: Hub, actor: Actor, sku: str, location: str = "WH-CENTRAL", pool: str = "spot") -> dict[str, Any]:
    empty = {"on_hand": 0, "reserved": 0, "safety": 0, "in_transit": 0, "available": 0}
    return levels(hub, actor, sku).get((location, pool), empty)


def order(hub: Hub, actor: Actor, order_id: uuid.UUID) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)


def ledger(hub: Hub, tenant_id: uuid.UUID | None = None) -> list[Any]:
    """Ledger rows in the order they were written."""
    query = select(StockMovement).order_by(StockMovement.created_at, StockMovement.id)
    if tenant_id is not None:
        query = query.where(StockMovement.tenant_id == tenant_id)
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(query))


def outbox(hub: Hub) -> list[Any]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(OutboxEvent).order_by(OutboxEvent.seq)))


def audit(hub: Hub, tenant_id: uuid.UUID | None = None) -> list[Any]:
    """Audit entries, oldest first (a batch's in the order it lists them)."""
    with hub.uow(write=False) as uow:
        return _audit(uow.connection, tenant_id)


def _audit(connection: Connection, tenant_id: uuid.UUID | None = None) -> list[Any]:
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if tenant_id is not None:
        query = query.where(AuditEntry.tenant_id == tenant_id)
    return entries_of(connection.execute(query))


def ledger_differences(hub: Hub, tenant_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    with hub.uow(write=False) as uow:
        return verify_ledger(uow.connection, tenant_id)


def reservation_mismatches(hub: Hub, tenant_id: uuid.UUID) -> list[tuple[uuid.UUID, int, int]]:
    """(level id, reserved on the level, sum of active reservations) wherever the two differ."""
    with hub.uow(write=False) as uow:
        c = uow.connection
        held: dict[tuple, int] = defaultdict(int)
        active = select(Reservation).where(Reservation.tenant_id == tenant_id, Reservation.state == "active")
        for r in c.execute(active):
            held[(r.sku_id, r.location_id, r.pool)] += r.quantity
        stored = c.execute(select(StockLevel).where(StockLevel.tenant_id == tenant_id)).all()
    mismatches = [(lv.id, lv.reserved, held.pop((lv.sku_id, lv.location_id, lv.pool), 0)) for lv in stored]
    orphans = [(None, 0, quantity) for quantity in held.values()]  # reservations on no level at all
    return [m for m in mismatches if m[1] != m[2]] + orphans


def tenant_rows(hub: Hub, tenant_id: uuid.UUID) -> tuple[tuple, ...]:
    """One tenant's stock levels, orders and reservations: what no other tenant's writes may change."""
    with hub.uow(write=False) as uow:
        c = uow.connection
        found = []
        for table, columns in ((StockLevel, ("id", "on_hand", "reserved", "safety", "in_transit")),
                               (Order, ("id", "status", "version", "payment_state", "total")),
                               (Reservation, ("id", "state", "quantity"))):
            query = select(*(getattr(table, col) for col in columns)).where(table.tenant_id == tenant_id)
            found.append(tuple(sorted(tuple(row) for row in c.execute(query))))
        return tuple(found)


def stock_levels(hub: Hub, tenant_id: uuid.UUID) -> list[Any]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(StockLevel).where(StockLevel.tenant_id == tenant_id)))


def repeated_orders(hub: Hub, tenant_id: uuid.UUID) -> list[tuple]:
    """(channel id, external id, count) of every channel order stored more than once (invariant 3)."""
    query = (
        select(Order.channel_id, Order.external_id, func.count())
        .where(Order.tenant_id == tenant_id)
        .group_by(Order.channel_id, Order.external_id)
        .having(func.count() > 1)
    )
    with hub.uow(write=False) as uow:
        return [tuple(row) for row in uow.connection.execute(query)]


def _rows(connection: Connection, table: Any, *columns: str) -> tuple[tuple, ...]:
    query = select(*(getattr(table, c) for c in columns)).order_by(getattr(table, columns[0]))
    return tuple(tuple(row) for row in connection.execute(query))


def _count(connection: Connection, table: Any) -> int:
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def sales_history(hub: Hub, tenant_id: uuid.UUID) -> tuple[tuple, ...]:
    """One tenant's imported sales days: (SKU id, node id, channel id, day, units, stocked out)."""
    with hub.uow(write=False) as uow:
        return tuple(sorted(tuple(r) for r in planning.imported_sales(uow.connection, tenant_id, date.min)))

"""The only place with routing SQL. Every query is scoped by tenant (the job's queue is across tenants)."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, insert, or_, select, update

from flexhub.catalog.model import Sku
from flexhub.db.portable import for_update, insert_missing
from flexhub.inventory.model import Location, StockLevel
from flexhub.kernel import clock
from flexhub.ordering.model import Order
from flexhub.routing.model import NodeLoad, RoutingDecision, RoutingPolicyDocument


def policy_document(connection: Connection, tenant_id: uuid.UUID) -> Any:
    query = select(RoutingPolicyDocument).where(RoutingPolicyDocument.tenant_id == tenant_id)
    return connection.execute(query).first()


def save_policy(connection: Connection, tenant_id: uuid.UUID, document: dict[str, Any], by: str) -> int:
    """Store the tenant's policy document; returns its revision."""
    table = RoutingPolicyDocument
    insert_missing(connection, table.__table__, [{"tenant_id": tenant_id, "document": {}, "version": 0,
                                                  "updated_by": by, "updated_at": clock.now()}], ["tenant_id"])
    current = connection.execute(for_update(select(table.version).where(table.tenant_id == tenant_id),
                                            connection)).scalar_one()
    connection.execute(update(table).where(table.tenant_id == tenant_id).values(
        document=document, version=current + 1, updated_by=by, updated_at=clock.now()))
    return current + 1


def locations(connection: Connection, tenant_id: uuid.UUID) -> list[Any]:
    query = select(Location).where(Location.tenant_id == tenant_id).order_by(Location.priority, Location.code)
    return list(connection.execute(query))


def skus_by_id(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(Sku.id, Sku.code, Sku.weight_g, Sku.fragile, Sku.high_value).where(
        Sku.tenant_id == tenant_id, Sku.id.in_(set(ids)))
    return {row.id: row for row in connection.execute(query)}


def loads(connection: Connection, tenant_id: uuid.UUID, day: date) -> dict[uuid.UUID, int]:
    query = select(NodeLoad.location_id, NodeLoad.parcels).where(NodeLoad.tenant_id == tenant_id, NodeLoad.day == day)
    return {row.location_id: row.parcels for row in connection.execute(query)}


def add_loads(connection: Connection, tenant_id: uuid.UUID, day: date, deltas: dict[uuid.UUID, int]) -> None:
    """Count parcels routed to (or moved away from) each node on `day`; never below zero."""
    changed = {location: delta for location, delta in deltas.items() if delta}
    rows = [{"tenant_id": tenant_id, "location_id": loc, "day": day, "parcels": 0} for loc in sorted(changed)]
    insert_missing(connection, NodeLoad.__table__, rows, ["tenant_id", "location_id", "day"])
    for location_id in sorted(changed):
        after = NodeLoad.parcels + changed[location_id]
        connection.execute(update(NodeLoad).where(
            NodeLoad.tenant_id == tenant_id, NodeLoad.location_id == location_id, NodeLoad.day == day,
        ).values(parcels=case((after < 0, 0), else_=after)))


def insert_decisions(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(RoutingDecision), rows)


def decisions(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[Any]:
    """The order's decisions, newest first."""
    query = (
        select(RoutingDecision)
        .where(RoutingDecision.tenant_id == tenant_id, RoutingDecision.order_id == order_id)
        .order_by(RoutingDecision.created_at.desc(), RoutingDecision.id.desc())
    )
    return list(connection.execute(query))


def reserved_orders(connection: Connection, limit: int, holding_unpaid: Iterable[uuid.UUID] = ()
                    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(tenant_id, order_id) of reserved orders across tenants, but those awaiting their payment on a channel
    `holding_unpaid` their stock (rules.awaits_payment): VIP first, then oldest first."""
    query = (
        select(Order.tenant_id, Order.id)
        .where(Order.status == "reserved",
               or_(Order.payment_state != "pending", Order.channel_id.not_in(set(holding_unpaid))))
        .order_by(Order.is_vip.desc(), Order.created_at, Order.id)
        .limit(limit)
    )
    return [(row.tenant_id, row.id) for row in connection.execute(query)]


def free_stock(connection: Connection, tenant_id: uuid.UUID, sku_ids: Iterable[uuid.UUID],
               pools: Iterable[str]) -> list[Any]:
    """Stock levels as they stand, unlocked: what a promise made before any order is read from."""
    query = (select(StockLevel.id, StockLevel.location_id, StockLevel.sku_id, StockLevel.pool,
                    (StockLevel.on_hand - StockLevel.reserved - StockLevel.safety).label("free"))
             .where(StockLevel.tenant_id == tenant_id, StockLevel.sku_id.in_(set(sku_ids)),
                    StockLevel.pool.in_(set(pools))))
    return list(connection.execute(query))

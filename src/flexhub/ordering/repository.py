"""The only place with ordering's write-side SQL. Every query is scoped by tenant, but the one that finds which
tenants have orders waiting for stock (a system job's sweep)."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from flexhub.db.portable import for_update, rows_with_pair
from flexhub.ordering.model import Order, OrderLine, SalesChannel

OrderKey = tuple[uuid.UUID, str]  # (channel_id, external_id)


def existing_orders(connection: Connection, tenant_id: uuid.UUID, keys: Iterable[OrderKey]) -> dict[OrderKey, Any]:
    keys = set(keys)
    if not keys:
        return {}
    columns = (Order.id, Order.channel_id, Order.external_id, Order.status, Order.channel_updated_at)
    rows = rows_with_pair(connection, columns, (Order.channel_id, Order.external_id), keys,
                          scope=(Order.tenant_id, tenant_id))
    return {(r.channel_id, r.external_id): r for r in rows}


def channels_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, Any]:
    """The tenant's sales channels with these codes, as ordering reads them (model.SalesChannel)."""
    query = select(SalesChannel).where(SalesChannel.c.tenant_id == tenant_id, SalesChannel.c.code.in_(set(codes)))
    return {row.code: row for row in connection.execute(query)}


def channels_by_id(connection: Connection, tenant_id: uuid.UUID, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    query = select(SalesChannel).where(SalesChannel.c.tenant_id == tenant_id, SalesChannel.c.id.in_(set(ids)))
    return {row.id: row for row in connection.execute(query)}


def lock_order(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Any:
    query = select(Order).where(Order.tenant_id == tenant_id, Order.id == order_id)
    return connection.execute(for_update(query, connection)).first()


def lock_orders(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The orders locked at once, in id order (as every lock of orders is taken: no deadlock)."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    query = select(Order).where(Order.tenant_id == tenant_id, Order.id.in_(ids)).order_by(Order.id)
    return {row.id: row for row in connection.execute(for_update(query, connection))}


def update_orders(connection: Connection, tenant_id: uuid.UUID, changes: list[tuple[Any, dict[str, Any]]]) -> int:
    """Compare-and-set of many orders in one statement: each (order as read, its new values) written only at the
    version read, and bumped; how many were written."""
    rows = [{**values, "version": order.version + 1, "b_tenant": tenant_id, "b_id": order.id,
             "b_version": order.version} for order, values in changes]
    if not rows:
        return 0
    columns = [key for key in rows[0] if not key.startswith("b_")]
    query = (update(Order).where(Order.tenant_id == bindparam("b_tenant"), Order.id == bindparam("b_id"),
                                 Order.version == bindparam("b_version"))
             .values({key: bindparam(key) for key in columns}))
    written: int = connection.execute(query, rows).rowcount
    return written


def insert_orders(connection: Connection, orders: list[dict[str, Any]], lines: list[dict[str, Any]]) -> None:
    if orders:
        connection.execute(insert(Order), orders)
        connection.execute(insert(OrderLine), lines)


def replace_lines(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID,
                  lines: list[dict[str, Any]]) -> None:
    connection.execute(delete(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == order_id))
    connection.execute(insert(OrderLine), lines)


def update_order(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, version: int,
                 **values: Any) -> bool:
    """Compare-and-set: writes only the version the caller read, and bumps it; False when it moved on."""
    query = (update(Order).where(Order.tenant_id == tenant_id, Order.id == order_id, Order.version == version)
             .values(**values, version=version + 1))
    return connection.execute(query).rowcount == 1



def tenants_with_waiting_orders(connection: Connection) -> list[uuid.UUID]:
    query = select(Order.tenant_id).where(Order.status == "awaiting_stock").distinct()
    return list(connection.execute(query).scalars())


def waiting_orders(connection: Connection, tenant_id: uuid.UUID, limit: int) -> list[Any]:
    """Orders kept as awaiting_stock in the order they get stock: VIP first, then oldest first."""
    query = (
        select(Order)
        .where(Order.tenant_id == tenant_id, Order.status == "awaiting_stock")
        .order_by(Order.is_vip.desc(), Order.created_at, Order.id)
        .limit(limit)
    )
    return list(connection.execute(query))


def lines_of_orders(connection: Connection, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]) -> list[Any]:
    query = (select(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id.in_(order_ids))
             .order_by(OrderLine.order_id, OrderLine.line_no))
    return list(connection.execute(query))

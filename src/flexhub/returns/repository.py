"""The only place with returns SQL. Every query is scoped by tenant."""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel
from flexhub.db.portable import for_update
from flexhub.ordering.model import Order, OrderLine
from flexhub.returns.model import Return, ReturnLine, ReturnsCentre


def lock_return(connection: Connection, tenant_id: uuid.UUID, return_id: uuid.UUID) -> Any:
    query = select(Return).where(Return.tenant_id == tenant_id, Return.id == return_id)
    return connection.execute(for_update(query, connection)).first()


def by_external_id(connection: Connection, tenant_id: uuid.UUID, source: str, external_id: str) -> Any:
    query = select(Return.id).where(Return.tenant_id == tenant_id, Return.source == source,
                                    Return.external_id == external_id)
    return connection.execute(query).first()


def insert_return(connection: Connection, row: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    connection.execute(insert(Return).values(**row))
    connection.execute(insert(ReturnLine), lines)


def update_return(connection: Connection, return_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(Return).where(Return.id == return_id).values(**values))


def lines(connection: Connection, return_id: uuid.UUID) -> list[Any]:
    query = (select(ReturnLine, Sku.code.label("sku")).join(Sku, Sku.id == ReturnLine.sku_id)
             .where(ReturnLine.return_id == return_id).order_by(Sku.code))
    return list(connection.execute(query))


def update_line(connection: Connection, line_id: uuid.UUID, **values: Any) -> None:
    connection.execute(update(ReturnLine).where(ReturnLine.id == line_id).values(**values))


def skus_by_code(connection: Connection, tenant_id: uuid.UUID, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    query = select(Sku.code, Sku.id).where(Sku.tenant_id == tenant_id, Sku.code.in_(set(codes)))
    return {row.code: row.id for row in connection.execute(query)}


def returns_centres(connection: Connection, tenant_id: uuid.UUID) -> dict[str, uuid.UUID]:
    query = select(ReturnsCentre.region, ReturnsCentre.location_id).where(ReturnsCentre.tenant_id == tenant_id)
    return {row.region: row.location_id for row in connection.execute(query)}


def replace_returns_centres(connection: Connection, tenant_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    connection.execute(delete(ReturnsCentre).where(ReturnsCentre.tenant_id == tenant_id))
    if rows:
        connection.execute(insert(ReturnsCentre), rows)


def order_of_channel(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID, external_id: str
                     ) -> uuid.UUID | None:
    """The order a channel knows by `external_id`, if it was imported."""
    query = select(Order.id).where(Order.tenant_id == tenant_id, Order.channel_id == channel_id,
                                   Order.external_id == external_id)
    return connection.scalar(query)


def order_returned(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Any:
    """The order an RMA names (its id and shipping address, for the regional returns centre), if the tenant's."""
    return connection.execute(select(Order.id, Order.shipping_address, Order.partner_id, Order.placed_at,
                                     Order.external_id)
                              .where(Order.tenant_id == tenant_id, Order.id == order_id)).first()


def units_sold(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> dict[str, tuple[int, int]]:
    """SKU → (units on the order, unit price after the lines' discounts), the order's SKUs together."""
    query = (select(OrderLine.sku_code, func.sum(OrderLine.quantity),
                    func.sum(OrderLine.quantity * OrderLine.unit_price - OrderLine.discount))
             .where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == order_id).group_by(OrderLine.sku_code))
    return {sku: (int(units), int(total) // int(units)) for sku, units, total in connection.execute(query)}


def channel_exists(connection: Connection, tenant_id: uuid.UUID, code: str) -> bool:
    return connection.scalar(select(Channel.id).where(Channel.tenant_id == tenant_id, Channel.code == code)) is not None

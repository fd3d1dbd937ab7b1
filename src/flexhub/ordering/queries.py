"""Reading orders: one order with its lines and reservations, or an order found by its channel id."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog.model import Sku
from flexhub.channels.model import Channel
from flexhub.inventory.model import Location, Reservation
from flexhub.ordering.errors import UnknownOrder
from flexhub.ordering.model import Order, OrderLine


def order_view(
    connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, *, partner_id: uuid.UUID | None = None
) -> dict[str, Any]:
    query = (
        select(Order, Channel.code.label("channel_code"))
        .join(Channel, Channel.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id, Order.id == order_id)
    )
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownOrder(f"no order {order_id}")
    return {**_header(row), "lines": _lines(connection, order_id), "reservations": _reservations(connection, order_id)}


def list_orders(
    connection: Connection,
    tenant_id: uuid.UUID,
    *,
    partner_id: uuid.UUID | None = None,
    channel: str | None = None,
    external_id: str | None = None,
    statuses: list[str] | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Order headers, newest first, filtered by channel, external id and status."""
    query = (
        select(Order, Channel.code.label("channel_code"))
        .join(Channel, Channel.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)
    )
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    if channel is not None:
        query = query.where(Channel.code == channel)
    if external_id is not None:
        query = query.where(Order.external_id == external_id)
    if statuses:
        query = query.where(Order.status.in_(statuses))
    return [_header(row) for row in connection.execute(query)]


def order_lines(connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[Any]:
    """The order's line rows in line order (routing reads them to know what to place)."""
    query = (select(OrderLine).where(OrderLine.tenant_id == tenant_id, OrderLine.order_id == order_id)
             .order_by(OrderLine.line_no))
    return list(connection.execute(query))


def _header(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id), "channel": row.channel_code, "external_id": row.external_id, "status": row.status,
        "status_reason": row.status_reason, "currency": row.currency, "subtotal": row.subtotal,
        "discount_total": row.discount_total, "shipping_fee": row.shipping_fee, "total": row.total,
        "payment_state": row.payment_state, "presale": row.is_presale, "vip": row.is_vip,
        "live_room": row.live_room, "streamer": row.streamer, "buyer": row.buyer,
        "shipping_address": row.shipping_address, "placed_at": row.placed_at, "created_at": row.created_at,
        "updated_at": row.updated_at, "version": row.version,
    }


def _lines(connection: Connection, order_id: uuid.UUID) -> list[dict[str, Any]]:
    query = select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
    return [
        {"line_no": r.line_no, "sku": r.sku_code, "quantity": r.quantity, "unit_price": r.unit_price,
         "discount": r.discount, "presale": r.is_presale}
        for r in connection.execute(query)
    ]


def _reservations(connection: Connection, order_id: uuid.UUID) -> list[dict[str, Any]]:
    query = (
        select(Reservation, Sku.code.label("sku_code"), Location.code.label("location_code"))
        .join(Sku, Sku.id == Reservation.sku_id)
        .join(Location, Location.id == Reservation.location_id)
        .where(Reservation.order_id == order_id)
        .order_by(Reservation.line_no, Reservation.created_at)
    )
    return [
        {"sku": r.sku_code, "location": r.location_code, "pool": r.pool, "quantity": r.quantity,
         "state": r.state, "expires_at": r.expires_at}
        for r in connection.execute(query)
    ]

"""Orders kept as awaiting_stock take stock as it arrives: VIP first, then oldest first, all lines or none."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.catalog import repository as catalog
from flexhub.channels import repository as channels
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import reservations
from flexhub.inventory.reservations import Holder
from flexhub.kernel.messages import Actor
from flexhub.ordering import rules
from flexhub.ordering.events import OrderUpdated
from flexhub.ordering.model import Order, OrderLine
from flexhub.ordering.status import advance_order

ACTOR_NAME = "job:reserve_backorders"


def waiting_tenants(connection: Connection) -> list[uuid.UUID]:
    query = select(Order.tenant_id).where(Order.status == "awaiting_stock").distinct()
    return list(connection.execute(query).scalars())


def reserve_backorders(uow: UnitOfWork, tenant_id: uuid.UUID, limit: int) -> int:
    """Try the tenant's waiting orders in priority order; returns how many became reserved."""
    orders = _waiting(uow.connection, tenant_id, limit)
    if not orders:
        return 0
    needs = _needs(uow.connection, tenant_id, orders)
    planned = reservations.plan(uow, tenant_id, [needs[o.id] for o in orders])
    won = [o for o, takes in zip(orders, planned.takes, strict=True) if takes]
    holders = [Holder(o.id, ACTOR_NAME) if takes else None for o, takes in zip(orders, planned.takes, strict=True)]
    reservations.hold(uow, tenant_id, planned, holders)
    actor = Actor(tenant_id=tenant_id, role="admin", name=ACTOR_NAME)
    for order in won:
        advance_order(uow, order, "reserved")
        uow.record(OrderUpdated(tenant_id=tenant_id, order_id=str(order.id), status="reserved",
                                version=order.version + 1))
    audit.record(uow, actor, *[audit.Audited("order.reserve_backorder", "order", o.id) for o in won])
    return len(won)


def _waiting(connection: Connection, tenant_id: uuid.UUID, limit: int) -> list[Any]:
    query = (
        select(Order)
        .where(Order.tenant_id == tenant_id, Order.status == "awaiting_stock")
        .order_by(Order.is_vip.desc(), Order.created_at, Order.id)
        .limit(limit)
    )
    return list(connection.execute(query))


def _needs(connection: Connection, tenant_id: uuid.UUID, orders: list[Any]) -> dict[uuid.UUID, list]:
    ids = [o.id for o in orders]
    lines = connection.execute(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.order_id, OrderLine.line_no)
    ).all()
    components = catalog.components_of(connection, tenant_id, {line.sku_id for line in lines})
    found = channels.channels_by_id(connection, tenant_id, {o.channel_id for o in orders})
    pools = {channel_id: channel.pools for channel_id, channel in found.items()}
    by_order: dict[uuid.UUID, list] = {o.id: [] for o in orders}
    for line in lines:
        by_order[line.order_id].append(rules.LineDemand(line.line_no, line.sku_id, line.quantity, line.is_presale))
    channel_of = {o.id: o.channel_id for o in orders}
    return {oid: rules.needs_for(demands, components, pools[channel_of[oid]]) for oid, demands in by_order.items()}

"""Orders kept as awaiting_stock take stock as it arrives: VIP first, then oldest first, all lines or none."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub import catalog
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import Holder, reservations
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository, rules
from flexhub.ordering.events import OrderUpdated
from flexhub.ordering.status import advance_order

ACTOR_NAME = "job:reserve_backorders"


def reserve_backorders(uow: UnitOfWork, tenant_id: uuid.UUID, limit: int) -> int:
    """Try the tenant's waiting orders in priority order; returns how many became reserved."""
    orders = repository.waiting_orders(uow.connection, tenant_id, limit)
    if not orders:
        return 0
    needs = needs_of_orders(uow.connection, tenant_id, orders)
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


def needs_of_orders(connection: Connection, tenant_id: uuid.UUID, orders: list[Any]) -> dict[uuid.UUID, list[Any]]:
    """The stock each stored order needs, from its lines and its channel's pools."""
    lines = repository.lines_of_orders(connection, tenant_id, [o.id for o in orders])
    components = catalog.components_of(connection, tenant_id, {line.sku_id for line in lines})
    found = repository.channels_by_id(connection, tenant_id, {o.channel_id for o in orders})
    pools = {channel_id: channel.pools for channel_id, channel in found.items()}
    by_order: dict[uuid.UUID, list[Any]] = {o.id: [] for o in orders}
    for line in lines:
        by_order[line.order_id].append(rules.LineDemand(line.line_no, line.sku_id, line.quantity, line.is_presale))
    channel_of = {o.id: o.channel_id for o in orders}
    return {oid: rules.needs_for(demands, components, pools[channel_of[oid]]) for oid, demands in by_order.items()}

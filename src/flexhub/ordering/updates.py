"""Changing known orders: a newer version from the channel, a cancellation, an unpaid order lapsing."""

import uuid
from collections.abc import Iterable
from typing import Any

from flexhub import cleaning, resellers
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import Holder, reservations
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository, rules
from flexhub.ordering.drafts import Lookups, draft
from flexhub.ordering.errors import UnknownOrder
from flexhub.ordering.events import OrderCancelled, OrderUpdated
from flexhub.ordering.queries import order_lines
from flexhub.ordering.schemas import OrderIn
from flexhub.ordering.status import advance_order

# An order's lines may still change (and its stock be taken again) only before it is routed.
LINES_OPEN = frozenset({"received", "reserved", "awaiting_stock"})


def locked_order(uow: UnitOfWork, tenant_id: uuid.UUID, order_id: uuid.UUID) -> Any:
    order = repository.lock_order(uow.connection, tenant_id, order_id)
    if order is None:
        raise UnknownOrder(f"no order {order_id}")
    return order


def locked_orders(uow: UnitOfWork, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The orders found, locked at once in id order (those no longer there are left out)."""
    return repository.lock_orders(uow.connection, tenant_id, order_ids)


def cancel(uow: UnitOfWork, actor: Actor, order: Any, reason: str) -> str:
    rules.check_transition(order.status, "cancelled")
    released = reservations.release(uow, order.tenant_id, [order.id], actor=actor.name, reason=reason)
    advance_order(uow, order, "cancelled", reason)
    if order.status == "on_hold":
        cleaning.close_holds(uow.connection, order.tenant_id, order.id, by=actor.name, outcome="cancelled",
                             at=clock.now())
    resellers.credit_cancelled(uow, order.tenant_id, order, actor.name)
    uow.record(OrderCancelled(tenant_id=order.tenant_id, order_id=str(order.id), reason=reason,
                              released_units=released))
    audit.record(uow, actor, audit.Audited("order.cancel", "order", order.id, {"reason": reason}))
    return "cancelled"


def apply_newer_version(uow: UnitOfWork, actor: Actor, order_id: uuid.UUID, incoming: OrderIn) -> str:
    """Apply what the channel changed; returns the order's status afterwards."""
    order = locked_order(uow, actor.tenant_id, order_id)
    if order.channel_updated_at and incoming.updated_at and incoming.updated_at <= order.channel_updated_at:
        return str(order.status)  # an older or equal version, overtaken by one already applied
    if incoming.cancelled:
        if order.status == "cancelled":
            return str(order.status)
        return cancel(uow, actor, order, "cancelled by the channel")
    lookups = Lookups.load(uow.connection, actor.tenant_id, [incoming])
    new = draft(order.id, incoming, lookups.channel_for(actor, incoming.channel), lookups)
    status: str = order.status
    if order.status in LINES_OPEN and _lines_changed(uow, order, new.lines):
        status = _take_stock_again(uow, actor, order, new)
    elif incoming.payment_state == "paid" and order.payment_state == "pending":
        reservations.keep_indefinitely(uow, [order.id])
    header = {k: v for k, v in new.order.items() if k not in ("id", "tenant_id", "partner_id", "channel_id")}
    advance_order(uow, order, status, order.status_reason, changes=header)
    uow.record(OrderUpdated(tenant_id=actor.tenant_id, order_id=str(order.id), status=status,
                            version=order.version + 1))
    audit.record(uow, actor, audit.Audited("order.update", "order", order.id, {"status": status}))
    return status


def _lines_changed(uow: UnitOfWork, order: Any, lines: list[dict[str, Any]]) -> bool:
    def shape(rows: Any) -> list[tuple[Any, ...]]:
        return [(r["sku_id"], r["quantity"], r["unit_price"], r["discount"], r["is_presale"]) for r in rows]

    stored = [row._mapping for row in order_lines(uow.connection, order.tenant_id, order.id)]
    return shape(stored) != shape(lines)


def _take_stock_again(uow: UnitOfWork, actor: Actor, order: Any, new: Any) -> str:
    reservations.release(uow, order.tenant_id, [order.id], actor=actor.name, reason="order changed")
    repository.replace_lines(uow.connection, order.tenant_id, order.id, new.lines)
    planned = reservations.plan(uow, order.tenant_id, [new.needs])
    if planned.takes[0] is None:
        return "awaiting_stock"
    reservations.hold(uow, order.tenant_id, planned, [Holder(order.id, actor.name, new.hold_until)])
    return "reserved"

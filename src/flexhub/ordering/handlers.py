"""Ordering handlers: cancel, lapse unpaid orders, reserve backorders (imports go through `ordering.writer`)."""

import uuid

from flexhub import inventory
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering import backorders, repository, updates
from flexhub.ordering.commands import (
    CancelOrder,
    ExpireUnpaidOrders,
    OrderCancellation,
    ReserveBackorders,
)
from flexhub.ordering.errors import UnknownOrder


def cancel_order(cmd: CancelOrder, uow_factory: UnitOfWorkFactory) -> OrderCancellation:
    order_id = order_id_of(cmd.order_id)
    with uow_factory() as uow:
        order = updates.locked_order(uow, cmd.actor.tenant_id, order_id)
        if cmd.actor.partner_id is not None and order.partner_id != cmd.actor.partner_id:
            raise UnknownOrder(f"no order {cmd.order_id}")
        status = updates.cancel(uow, cmd.actor, order, cmd.reason)
        uow.commit()
    return OrderCancellation(str(order_id), status)


def expire_unpaid_orders(cmd: ExpireUnpaidOrders, uow_factory: UnitOfWorkFactory) -> int:
    """Cancel orders whose unpaid hold lapsed; each in its own transaction. Returns how many."""
    with uow_factory(write=False) as uow:
        due = inventory.expired_order_ids(uow.connection, clock.now(), cmd.limit)
    cancelled = 0
    for tenant_id, order_id in due:
        actor = Actor(tenant_id=tenant_id, role="admin", name="job:expire_unpaid_orders")
        with uow_factory() as uow:
            order = updates.locked_order(uow, tenant_id, order_id)
            if order.payment_state != "pending":
                continue  # paid meanwhile: the payment cleared the expiry
            updates.cancel(uow, actor, order, "unpaid: reservation expired")
            uow.commit()
            cancelled += 1
    return cancelled


def reserve_backorders(cmd: ReserveBackorders, uow_factory: UnitOfWorkFactory) -> int:
    """For each tenant with waiting orders, one transaction that reserves what now can be."""
    with uow_factory(write=False) as uow:
        tenants = repository.tenants_with_waiting_orders(uow.connection)
    reserved = 0
    for tenant_id in tenants:
        with uow_factory() as uow:
            reserved += backorders.reserve_backorders(uow, tenant_id, cmd.limit)
            uow.commit()
    return reserved


def order_id_of(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as error:
        raise UnknownOrder(f"no order {text}") from error

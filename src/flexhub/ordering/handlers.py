"""Ordering handlers: import (per order or combined), cancel, and lapse unpaid orders."""

import uuid
from collections.abc import Sequence

import stamina
from sqlalchemy.exc import IntegrityError

from flexhub.bus.combiner import Combiner
from flexhub.bus.messagebus import is_contention
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.inventory import repository as inventory
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import backorders, repository, updates
from flexhub.ordering.commands import (
    CancelOrder,
    ExpireUnpaidOrders,
    ImportOrder,
    OrderCancellation,
    ReserveBackorders,
)
from flexhub.ordering.errors import UnknownOrder
from flexhub.ordering.intake import Imported, NewerVersion, Outcome, import_batch


class OrderIntake:
    """Imports orders; with a combiner, concurrent imports share one transaction per batch."""

    def __init__(self, uow_factory: UnitOfWorkFactory, *, combine: bool, max_wait_s: float, max_batch: int):
        self._uow_factory = uow_factory
        self._combiner = (
            Combiner(self._import_combined, max_wait_s=max_wait_s, max_batch=max_batch, name="order-combiner")
            if combine else None
        )

    def import_order(self, cmd: ImportOrder) -> Imported:
        outcome = self._combiner.submit(cmd) if self._combiner else self._import_alone(cmd)
        if isinstance(outcome, FlexhubError):
            raise outcome
        if isinstance(outcome, NewerVersion):
            with self._uow_factory() as uow:
                status = updates.apply_newer_version(uow, cmd.actor, outcome.order_id, cmd.order)
                uow.commit()
            return Imported(outcome.order_id, status, created=False)
        return outcome

    def close(self) -> None:
        if self._combiner:
            self._combiner.close()

    def _import_alone(self, cmd: ImportOrder) -> Outcome:
        # A concurrent import of the same order may win the unique key: try again, it is then a replay.
        retry_on = lambda e: is_contention(e) or isinstance(e, IntegrityError)  # noqa: E731
        for attempt in stamina.retry_context(on=retry_on, attempts=5, wait_initial=0.005, wait_max=0.2):
            with attempt:
                return self._import([cmd])[0]
        raise AssertionError("unreachable")

    def _import_combined(self, commands: Sequence[ImportOrder]) -> list[Outcome]:
        try:
            for attempt in stamina.retry_context(on=is_contention, attempts=5, wait_initial=0.005, wait_max=0.2):
                with attempt:
                    return self._import(commands)
        except IntegrityError:
            # Another process stored one of these orders first; settle each on its own.
            return [self._import_alone(cmd) for cmd in commands]
        raise AssertionError("unreachable")

    def _import(self, commands: Sequence[ImportOrder]) -> list[Outcome]:
        with self._uow_factory() as uow:
            outcomes = import_batch(uow, commands)
            uow.commit()
        return outcomes


def cancel_order(cmd: CancelOrder, uow_factory: UnitOfWorkFactory) -> OrderCancellation:
    order_id = _order_id(cmd.order_id)
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


def _order_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as error:
        raise UnknownOrder(f"no order {text}") from error

"""`advance_order`: the one writer of an order's status. Routing, fulfilment and ordering's own handlers move an
order only through it: tenant-scoped, a compare-and-set on the version the caller read, the state machine's
rules checked, and an `OrderStatusChanged` event recorded in the caller's transaction."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel import clock
from flexhub.ordering import repository
from flexhub.ordering.errors import StaleOrder
from flexhub.ordering.events import OrderStatusChanged
from flexhub.ordering.rules import check_transition


class OrderRef(Protocol):
    """What `advance_order` reads of an order: a locked order row, or the `OrderState` it returned last."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def tenant_id(self) -> uuid.UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def version(self) -> int: ...


@dataclass(frozen=True, slots=True)
class OrderState:
    """The order as `advance_order` left it, to be advanced again in the same transaction."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    status: str
    version: int


def advance_order(uow: UnitOfWork, order: OrderRef, to: str, reason: str | None = None, *,
                  changes: Mapping[str, Any] | None = None) -> OrderState:
    """Move `order` to `to` (staying put is allowed: a re-route keeps it routed) with `reason` as its status
    reason. `changes` are other header columns ordering's own handlers write in the same step."""
    if to != order.status:
        check_transition(order.status, to)
    version = order.version + 1
    values = {"updated_at": clock.now(), **(changes or {}), "status": to, "status_reason": reason}
    written = repository.update_order(uow.connection, order.tenant_id, order.id, order.version, **values)
    if not written:  # someone moved it since the caller read it: its decision was made on a stale order
        raise StaleOrder(f"order {order.id} changed meanwhile; read it again", order_id=str(order.id))
    uow.record(OrderStatusChanged(tenant_id=order.tenant_id, order_id=str(order.id), previous=order.status,
                                  status=to, reason=reason, version=version))
    return OrderState(order.id, order.tenant_id, to, version)


def advance_orders(uow: UnitOfWork, moves: Sequence[tuple[OrderRef, str, str | None]]) -> list[OrderState]:
    """`advance_order` for many (order, to, reason) in one statement (routing's batch); StaleOrder if any moved."""
    now = clock.now()
    for order, to, _ in moves:
        if to != order.status:
            check_transition(order.status, to)
    by_tenant: dict[uuid.UUID, list[tuple[OrderRef, dict[str, Any]]]] = {}
    for order, to, reason in moves:
        by_tenant.setdefault(order.tenant_id, []).append(
            (order, {"updated_at": now, "status": to, "status_reason": reason}))
    for tenant_id, changes in by_tenant.items():
        if repository.update_orders(uow.connection, tenant_id, changes) != len(changes):
            raise StaleOrder("an order changed meanwhile; read them again", tenant_id=str(tenant_id))
    uow.record(*(OrderStatusChanged(tenant_id=order.tenant_id, order_id=str(order.id), previous=order.status,
                                    status=to, reason=reason, version=order.version + 1)
                 for order, to, reason in moves))
    return [OrderState(order.id, order.tenant_id, to, order.version + 1) for order, to, _ in moves]

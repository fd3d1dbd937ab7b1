"""Points follow orders from every channel: an order event (received, updated, cancelled) reads the order as it is
now; a paid order of a member earns once, a refunded or cancelled one is reversed once (members.points)."""

import uuid
from typing import Any

from flexhub import ordering
from flexhub.bus.transport import Envelope
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.members import points, queries

ACTOR = "system:members"
ORDER_EVENTS = (*ordering.RECEIVED, "OrderUpdated", "OrderCancelled")
UNDONE_PAYMENTS = frozenset({"refunded"})


def on_order_event(envelope: Envelope, uow: UnitOfWork) -> None:
    """Each order the event is about (a batch's OrdersReceived lists many), its header read together with the
    others' and their buyers' members (an order no longer there is left out), in the event's one transaction."""
    ids = [uuid.UUID(order_id) for order_id in ordering.order_ids(envelope.body)]
    orders = ordering.order_headers(uow.connection, envelope.tenant_id, ids)
    buyers = [(order["channel"], order["buyer"] or {}) for order in orders]
    for order, member in zip(orders, queries.members_of_buyers(uow.connection, envelope.tenant_id, buyers),
                             strict=True):
        if member is not None:
            on_order(uow, envelope.tenant_id, order, member)


def on_order(uow: UnitOfWork, tenant_id: uuid.UUID, order: dict[str, Any], member: Any) -> None:
    """A member's order: earned once when paid, reversed once when cancelled or refunded."""
    if order["status"] == "cancelled" or order["payment_state"] in UNDONE_PAYMENTS:
        points.reverse(uow, ACTOR, member.id, tenant_id, order["id"])
    elif order["payment_state"] == "paid":
        points.earn(uow, ACTOR, member.id, tenant_id, order["id"], order["total"])

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
    """Each order the event is about (a batch's OrdersReceived lists many), read together (an order no longer there
    is left out), in the event's one transaction."""
    ids = [uuid.UUID(order_id) for order_id in ordering.order_ids(envelope.body)]
    for order in ordering.order_views(uow.connection, envelope.tenant_id, ids):
        on_order(uow, envelope.tenant_id, order)


def on_order(uow: UnitOfWork, tenant_id: uuid.UUID, order: dict[str, Any]) -> None:
    member = queries.member_of_buyer(uow.connection, tenant_id, order["channel"], order["buyer"] or {})
    if member is None:
        return
    if order["status"] == "cancelled" or order["payment_state"] in UNDONE_PAYMENTS:
        points.reverse(uow, ACTOR, member.id, tenant_id, order["id"])
    elif order["payment_state"] == "paid":
        points.earn(uow, ACTOR, member.id, tenant_id, order["id"], order["total"])

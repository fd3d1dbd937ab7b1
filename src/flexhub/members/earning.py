"""Points follow orders from every channel: an order event (received, updated, cancelled) reads the order as it is
now; a paid order of a member earns once, a refunded or cancelled one is reversed once (members.points)."""

import uuid

from flexhub import ordering
from flexhub.bus.transport import Envelope
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.members import points, queries

ACTOR = "system:members"
ORDER_EVENTS = (*ordering.RECEIVED, "OrderUpdated", "OrderCancelled")
UNDONE_PAYMENTS = frozenset({"refunded"})


def on_order_event(envelope: Envelope, uow: UnitOfWork) -> None:
    """Each order the event is about (a batch's OrdersReceived lists many), in the event's one transaction."""
    for order_id in ordering.order_ids(envelope.body):
        on_order(uow, envelope.tenant_id, uuid.UUID(order_id))


def on_order(uow: UnitOfWork, tenant_id: uuid.UUID, order_id: uuid.UUID) -> None:
    c = uow.connection
    try:
        order = ordering.order_view(c, tenant_id, order_id)
    except ordering.UnknownOrder:
        return
    member = queries.member_of_buyer(c, tenant_id, order["channel"], order["buyer"] or {})
    if member is None:
        return
    if order["status"] == "cancelled" or order["payment_state"] in UNDONE_PAYMENTS:
        points.reverse(uow, ACTOR, member.id, tenant_id, order["id"])
    elif order["payment_state"] == "paid":
        points.earn(uow, ACTOR, member.id, tenant_id, order["id"], order["total"])

"""What `bench inbound` reads back once the messages are settled: orders, stock (audited, so a fast import that
oversold shows as `oversold`, never as speed), what is left, and each message's time from receipt to order
(`received_at`, kept → `processed_at`, settled with its order written), and how many order events the member-points
consumer had still to take (the relay's consumers lag the import, so the span holds only part of their work)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select

from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import percentile_ms
from flexhub.bootstrap import Hub
from flexhub.channels.model import ChannelException, InboundMessage
from flexhub.db.outbox import ConsumedEvent, OutboxEvent
from flexhub.kernel.messages import Actor
from flexhub.members.earning import ORDER_EVENTS
from flexhub.ordering.model import Order

MEMBER_POINTS = "member-points"  # the consumer's name (background.py): the relay's largest consumer of a sale


@dataclass(frozen=True)
class Settled:
    pending: int
    settled: int
    first_received: datetime | None
    last_settled: datetime | None

    @property
    def seconds(self) -> float | None:
        """From the first message received to the last settled (the server's clock, on the server's rows)."""
        if self.first_received is None or self.last_settled is None:
            return None
        return (self.last_settled - self.first_received).total_seconds()


def settled(hub: Hub) -> Settled:
    with hub.uow(write=False) as uow:
        row = uow.connection.execute(select(
            func.count().filter(InboundMessage.state == "pending"),
            func.count().filter(InboundMessage.state != "pending"),
            func.min(InboundMessage.received_at), func.max(InboundMessage.processed_at))).one()
    return Settled(*row)


def imported(hub: Hub, admin: Actor) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        connection = uow.connection
        stock = audit_stock(connection, admin.tenant_id)
        orders = connection.execute(select(func.count()).select_from(Order)).scalar_one()
        paid = connection.execute(select(func.count()).where(Order.payment_state == "paid")).scalar_one()
        pending = connection.execute(select(func.count()).where(InboundMessage.state == "pending")).scalar_one()
        exceptions = connection.execute(select(func.count()).select_from(ChannelException)).scalar_one()
        events, left = _order_events(connection)
        waits = [(done - received).total_seconds() for received, done in connection.execute(
            select(InboundMessage.received_at, InboundMessage.processed_at)
            .where(InboundMessage.state == "done", InboundMessage.processed_at.is_not(None))) if done is not None]
    return {
        "orders_imported": orders, "orders_paid_by_update": paid, "messages_left_pending": pending,
        "channel_exceptions": exceptions, "oversold": stock.oversold, "reserved_units": stock.reserved,
        "orders_reserved_in_database": stock.orders_reserved, "stock": stock.received,
        "reserving_transactions": stock.reserving_transactions,
        "p50_receipt_to_order_ms": percentile_ms(waits, 0.50), "p99_receipt_to_order_ms": percentile_ms(waits, 0.99),
        "max_receipt_to_order_ms": percentile_ms(waits, 1.0),
        "order_events": events, "order_events_left_for_members": left,
    }


def _order_events(connection: Any) -> tuple[int, int]:
    """The order events in the outbox, and those the member-points consumer has not taken yet."""
    taken = exists().where(ConsumedEvent.consumer == MEMBER_POINTS, ConsumedEvent.event_id == OutboxEvent.event_id)
    row = connection.execute(select(func.count(), func.count().filter(~taken))
                             .where(OutboxEvent.type.in_(ORDER_EVENTS))).one()
    return row[0], row[1]

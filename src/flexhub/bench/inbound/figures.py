"""What `bench inbound` reads back once the messages are settled: orders, stock (audited, so a fast import that
oversold shows as `oversold`, never as speed), what is left, and each message's time from receipt to order
(`received_at`, kept → `processed_at`, settled with its order written)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from flexhub.bench.oversell import audit_stock
from flexhub.bench.report import percentile_ms
from flexhub.bootstrap import Hub
from flexhub.channels.model import ChannelException, InboundMessage
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order


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
    }

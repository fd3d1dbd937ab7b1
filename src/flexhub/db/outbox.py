"""The transactional outbox: events committed with the change that caused them, relayed at least once."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Index, String, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base
from flexhub.kernel import clock
from flexhub.kernel.messages import Event


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_unpublished", "published_at", "seq"),)

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    tenant_id: Mapped[uuid.UUID]
    type: Mapped[str] = mapped_column(String(80))
    body: Mapped[dict[str, Any]]
    occurred_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class ConsumedEvent(Base):
    """One row per (consumer, event): a consumer that sees an event twice acts once."""

    __tablename__ = "consumed_events"

    consumer: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    consumed_at: Mapped[datetime] = mapped_column(default=clock.now)


def append(connection: Connection, events: list[Event]) -> None:
    if not events:
        return
    rows = [
        {
            "event_id": e.event_id,
            "tenant_id": e.tenant_id,
            "type": e.type_name(),
            "body": e.body(),
            "occurred_at": e.occurred_at,
            "published_at": None,
        }
        for e in events
    ]
    connection.execute(insert(OutboxEvent), rows)


def pending(connection: Connection, limit: int) -> list[OutboxEvent]:
    query = (
        select(OutboxEvent).where(OutboxEvent.published_at.is_(None)).order_by(OutboxEvent.seq).limit(limit)
    )
    return list(connection.execute(query).all())  # type: ignore[arg-type]


def mark_published(connection: Connection, seqs: list[int]) -> None:
    if seqs:
        connection.execute(
            update(OutboxEvent).where(OutboxEvent.seq.in_(seqs)).values(published_at=clock.now())
        )

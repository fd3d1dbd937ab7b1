"""The transactional outbox: events committed with the change that caused them, relayed at least once."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Index, Row, String, and_, insert, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base
from flexhub.db.portable import for_update
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
    claimed_by: Mapped[str | None] = mapped_column(String(120))  # the relay publishing it now…
    claimed_until: Mapped[datetime | None]  # …until then: a relay that died lets its claim run out


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


def pending(connection: Connection, limit: int) -> list[Row[Any]]:
    """Unpublished events no live claim holds, in the order they were committed."""
    query = select(OutboxEvent).where(_claimable()).order_by(OutboxEvent.seq).limit(limit)
    return list(connection.execute(query).all())


def claim(connection: Connection, relay: str, limit: int, *, claim_s: float) -> list[Any]:
    """Claim the first `limit` claimable events for `relay` (rows another relay is claiming are skipped)."""
    now = clock.now()
    picked = for_update(select(OutboxEvent.seq).where(_claimable(now)).order_by(OutboxEvent.seq).limit(limit),
                        connection, skip_locked=True).scalar_subquery()
    rows = connection.execute(
        update(OutboxEvent).where(OutboxEvent.seq.in_(picked))
        .values(claimed_by=relay, claimed_until=now + timedelta(seconds=claim_s))
        .returning(OutboxEvent.seq, OutboxEvent.event_id, OutboxEvent.tenant_id, OutboxEvent.type,
                   OutboxEvent.body, OutboxEvent.occurred_at)).all()
    return sorted(rows, key=lambda row: row.seq)


def mark_published(connection: Connection, seqs: list[int], relay: str | None = None) -> None:
    if seqs:
        mine = [OutboxEvent.claimed_by == relay] if relay else []
        connection.execute(
            update(OutboxEvent).where(OutboxEvent.seq.in_(seqs), *mine).values(published_at=clock.now())
        )


def release(connection: Connection, seqs: list[int], relay: str) -> None:
    connection.execute(update(OutboxEvent).where(OutboxEvent.seq.in_(seqs), OutboxEvent.claimed_by == relay)
                       .values(claimed_by=None, claimed_until=None))


def _claimable(now: datetime | None = None) -> Any:
    moment = now or clock.now()
    return and_(OutboxEvent.published_at.is_(None),
                or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until < moment))


def mark_consumed(connection: Connection, consumer: str, event_id: uuid.UUID) -> None:
    """Record that `consumer` acts on the event; raises IntegrityError when it did already."""
    connection.execute(insert(ConsumedEvent).values(consumer=consumer, event_id=event_id, consumed_at=clock.now()))

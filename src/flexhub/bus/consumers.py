"""Consumers that act once per event: the event id is recorded in the consumer's own transaction."""

from collections.abc import Callable

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from flexhub.bus.transport import Envelope
from flexhub.db.outbox import ConsumedEvent
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.kernel import clock


def once_per_event(
    name: str, uow_factory: UnitOfWorkFactory, act: Callable[[Envelope, UnitOfWork], None]
) -> Callable[[Envelope], None]:
    """Wrap `act` so that a redelivered event is recognised and skipped."""

    def consume(envelope: Envelope) -> None:
        with uow_factory() as uow:
            row = {"consumer": name, "event_id": envelope.event_id, "consumed_at": clock.now()}
            try:
                uow.connection.execute(insert(ConsumedEvent).values(**row))
            except IntegrityError:
                return  # seen before: the first delivery acted
            act(envelope, uow)
            uow.commit()

    return consume

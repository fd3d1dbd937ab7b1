"""Consumers that act once per event: the event id is recorded in the consumer's own transaction."""

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from flexhub.bus.transport import Envelope
from flexhub.db.outbox import mark_consumed
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory


def once_per_event(
    name: str, uow_factory: UnitOfWorkFactory, act: Callable[[Envelope, UnitOfWork], None]
) -> Callable[[Envelope], None]:
    """Wrap `act` so that a redelivered event is recognised and skipped."""

    def consume(envelope: Envelope) -> None:
        with uow_factory() as uow:
            try:
                mark_consumed(uow.connection, name, envelope.event_id)
            except IntegrityError:
                return  # seen before: the first delivery acted
            act(envelope, uow)
            uow.commit()

    return consume

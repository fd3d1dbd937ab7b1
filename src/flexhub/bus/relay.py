"""The outbox relay: publishes committed events in order and marks them, delivering at least once.

Publishing happens outside any write transaction; an event published but not yet marked (a
crash between the two) is published again, and consumers drop what they have seen.
"""

import structlog

from flexhub.bus.transport import Envelope, Transport
from flexhub.db import outbox
from flexhub.db.unit_of_work import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class OutboxRelay:
    def __init__(self, uow_factory: UnitOfWorkFactory, transport: Transport, *, batch: int = 500) -> None:
        self._uow_factory = uow_factory
        self._transport = transport
        self._batch = batch

    def run_once(self) -> int:
        """Publish one batch of pending events; returns how many were published."""
        with self._uow_factory(write=False) as uow:
            rows = outbox.pending(uow.connection, self._batch)
        if not rows:
            return 0
        envelopes = [Envelope(r.event_id, r.tenant_id, r.type, r.body, r.occurred_at) for r in rows]
        self._transport.publish(envelopes)
        with self._uow_factory() as uow:
            outbox.mark_published(uow.connection, [r.seq for r in rows])
            uow.commit()
        return len(rows)

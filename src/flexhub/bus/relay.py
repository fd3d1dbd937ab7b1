"""The outbox relay: claims committed events in order, publishes them and marks them, delivering at least once.

Rows are claimed before publishing (claimed_by, claimed_until; picked `FOR UPDATE SKIP LOCKED` on PostgreSQL), so
two relays in two processes never publish the same rows; a relay that dies lets its claim run out and another
publishes them. Publishing happens outside any write transaction; an event published but not yet marked (a crash
between the two) is published again, and consumers drop what they have seen.
"""

import os
import socket
import uuid
from typing import Any

import structlog

from flexhub.bus.transport import Envelope, Transport
from flexhub.db import outbox
from flexhub.db.unit_of_work import UnitOfWorkFactory

log = structlog.get_logger(__name__)
CLAIM_S = 60.0  # far longer than a batch takes to publish


class OutboxRelay:
    def __init__(self, uow_factory: UnitOfWorkFactory, transport: Transport, *, batch: int = 500,
                 name: str | None = None) -> None:
        self._uow_factory = uow_factory
        self._transport = transport
        self._batch = batch
        self.name = name or f"relay:{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    def run_once(self) -> int:
        """Publish one batch of pending events; returns how many were published."""
        with self._uow_factory(write=False) as uow:  # a look first: an idle relay writes nothing
            if not outbox.pending(uow.connection, 1):
                return 0
        with self._uow_factory() as uow:
            rows = outbox.claim(uow.connection, self.name, self._batch, claim_s=CLAIM_S)
            uow.commit()
        if not rows:
            return 0
        envelopes = [Envelope(r.event_id, r.tenant_id, r.type, r.body, r.occurred_at) for r in rows]
        try:
            self._transport.publish(envelopes)
        except BaseException:
            self._let_go(rows)
            raise
        with self._uow_factory() as uow:
            outbox.mark_published(uow.connection, [r.seq for r in rows], self.name)
            uow.commit()
        return len(rows)

    def _let_go(self, rows: list[Any]) -> None:
        """A failed publish: the rows may be claimed again at once (by this relay or another)."""
        with self._uow_factory() as uow:
            outbox.release(uow.connection, [r.seq for r in rows], self.name)
            uow.commit()

"""Polling carriers for the tracking of shipments on the move, outside any transaction.

Each moving shipment with a waybill gets a poll row; when it is due, the shipment's own carrier is asked if
its adapter has a tracking query and the node (or tenant) holds an account with it, else the tenant's
Kuaidi100 account, which tracks any Chinese carrier. Calls are paced by each carrier's documented rate
limit (a token bucket per carrier; what the bucket cannot take waits for the next run), and the scans go
through the same idempotent recording as pushes. A shipment with no way to be polled is asked again
only after `every`, and shows in the exceptions queue once it has been silent too long.
"""

import uuid
from datetime import timedelta
from typing import Any, Protocol

import httpx2
import structlog
from sqlalchemy import Engine

from flexhub.db.jobs import SharedBucket
from flexhub.fulfillment import repository
from flexhub.fulfillment.carrier_pushes import ANY_CARRIER, PushDesk, record_scans
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.shipping import carrier_for

log = structlog.get_logger(__name__)
EVERY = timedelta(minutes=30)  # Kuaidi100 asks that one number be polled at most every 30 minutes
MAX_BACK_OFF = timedelta(hours=6)


class PollDesk(PushDesk, Protocol):
    """What polling carriers uses beyond recording the scans it finds: the HTTP client that asks, and the engine
    each carrier's shared rate bucket lives in."""

    @property
    def http(self) -> httpx2.Client: ...

    @property
    def engine(self) -> Engine: ...


class TrackingPoller:
    def __init__(self, desk: PollDesk, *, every: timedelta = EVERY, batch: int = 50) -> None:
        self._desk = desk
        self.every = every
        self._batch = batch
        self._buckets: dict[str, SharedBucket] = {}

    def run_once(self) -> int:
        """Schedule new moving shipments and poll those due; returns how many new scans were recorded."""
        now = clock.now()
        with self._desk.uow() as uow:
            repository.schedule_polls(uow.connection, now + self.every, self._batch)
            uow.commit()
        with self._desk.uow(write=False) as uow:
            due = repository.due_polls(uow.connection, now, self._batch)
        return sum(self._poll(row) for row in due)

    def poll_shipment(self, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> int:
        """Ask now for one shipment whose poll was made due (the exceptions queue's re-poll)."""
        with self._desk.uow(write=False) as uow:
            due = repository.due_polls(uow.connection, clock.now(), 1, tenant_id=tenant_id, shipment_id=shipment_id)
        return sum(self._poll(row) for row in due)

    def _poll(self, row: Any) -> int:
        found = self._querier(row)
        if found is None:
            self._done(row, "no carrier account that answers tracking queries")
            return 0
        name, credentials = found
        if not self._bucket(name).take():
            return 0  # over the carrier's rate: still due, asked on a later run
        adapter = carrier_for(name)
        to, buyer = row.shipping_address or {}, row.buyer or {}
        try:
            request = adapter.tracking_request(credentials, row.waybill_number, to.get("phone") or buyer.get("phone"))
            response = self._desk.http.request(request.method, request.url, headers=request.headers,
                                              params=request.params or None, json=request.json,
                                              content=request.content)
            if response.status_code >= 300:
                raise FlexhubError(f"HTTP {response.status_code}: {response.text[:200]}")
            events = [e for e in adapter.parse_tracking(response.json(), row.waybill_number)
                      if e.waybill_number == row.waybill_number]
        except (FlexhubError, httpx2.HTTPError, ValueError, KeyError) as error:
            self._failed(row, f"{type(error).__name__}: {error}"[:500])
            return 0
        recorded = record_scans(self._desk, row.tenant_id, row.carrier, events, source="poll")
        self._done(row, None)
        return recorded

    def _querier(self, row: Any) -> tuple[str, dict[str, str]] | None:
        """(carrier, credentials) to ask: the shipment's carrier where it answers queries, else Kuaidi100."""
        with self._desk.uow(write=False) as uow:
            for name in (row.carrier, ANY_CARRIER):
                if "tracking" not in carrier_for(name).capabilities:
                    continue
                account = repository.carrier_account(uow.connection, row.tenant_id, name, row.location_id)
                if account is not None:
                    return name, self._desk.vault.open(account.credentials)
        return None

    def _bucket(self, carrier: str) -> SharedBucket:
        """The carrier's limit, kept in the database: held once however many processes poll."""
        if carrier not in self._buckets:
            limit = carrier_for(carrier).rate_limit
            self._buckets[carrier] = SharedBucket(self._desk.engine, f"carrier:{carrier}", per_second=limit.per_second,
                                                  burst=limit.burst)
        return self._buckets[carrier]

    def _done(self, row: Any, error: str | None) -> None:
        now = clock.now()
        with self._desk.uow() as uow:
            repository.update_poll(uow.connection, row.shipment_id, polled_at=now, next_at=now + self.every,
                                   attempts=0, last_error=error)
            uow.commit()

    def _failed(self, row: Any, error: str) -> None:
        log.warning("tracking poll failed", shipment_id=str(row.shipment_id), error=error)
        wait = min(MAX_BACK_OFF, max(self.every, timedelta(minutes=1)) * 2 ** row.attempts)
        with self._desk.uow() as uow:
            repository.update_poll(uow.connection, row.shipment_id, next_at=clock.now() + wait,
                                   attempts=row.attempts + 1, last_error=error)
            uow.commit()

"""From the outbox to the receivers: an event of a subscribed type becomes one delivery row per endpoint that
wants it (a partner's endpoint only its partner's events); the sender posts each due delivery, signed, with
`webhook-id` = the event id so receivers drop repeats, outside any transaction; a failure is retried with
back-off and parked (`dead`) after `max_attempts`, until someone retries it."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx2
import structlog

from flexhub.bus.consumers import once_per_event
from flexhub.bus.transport import Envelope
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.notifications import repository, signing

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub

log = structlog.get_logger(__name__)
BACK_OFF_S = 2.0  # 4 s, 8 s, 16 s… capped at an hour
MAX_WAIT_S = 3600.0
CONSUMER = "webhook-deliveries"


def wanting(endpoints: list[Any], envelope: Envelope) -> list[Any]:
    """The endpoints an event goes to: subscribed to its type, and (a partner's) naming that partner."""
    partner = envelope.body.get("partner_id")
    return [e for e in endpoints if envelope.type in e.event_types
            and (e.partner_id is None or str(e.partner_id) == partner)]


def payload(envelope: Envelope) -> dict[str, Any]:
    """The Standard Webhooks payload shape: type, timestamp, data."""
    return {"type": envelope.type, "timestamp": clock.as_utc(envelope.occurred_at).isoformat(),
            "data": envelope.body}


class EventIntake:
    """The transport consumer: reads first, so an event no endpoint wants costs no write transaction."""

    def __init__(self, uow_factory: UnitOfWorkFactory, on_added: Callable[[], None] = lambda: None) -> None:
        self._uow_factory = uow_factory
        self._on_added = on_added
        self._once = once_per_event(CONSUMER, uow_factory, self._add)

    def __call__(self, envelope: Envelope) -> None:
        with self._uow_factory(write=False) as uow:
            targets = wanting(repository.active_endpoints(uow.connection, envelope.tenant_id), envelope)
        if targets:
            self._once(envelope)
            self._on_added()

    def _add(self, envelope: Envelope, uow: UnitOfWork) -> None:
        targets = wanting(repository.active_endpoints(uow.connection, envelope.tenant_id), envelope)
        now = clock.now()
        repository.add_deliveries(uow.connection, [
            {"id": new_id(), "tenant_id": envelope.tenant_id, "endpoint_id": e.id, "event_id": envelope.event_id,
             "event_type": envelope.type, "payload": payload(envelope), "state": "pending", "attempts": 0,
             "next_attempt_at": now, "created_at": now} for e in targets])


class WebhookSender:
    def __init__(self, hub: "Hub", *, max_attempts: int = 8) -> None:
        self._hub = hub
        self.max_attempts = max_attempts

    def run_once(self, limit: int = 100) -> int:
        """Post the deliveries due; returns how many the receivers took."""
        with self._hub.uow(write=False) as uow:
            due = repository.due(uow.connection, clock.now(), limit)
        return sum(self._send(row) for row in due)

    def _send(self, row: Any) -> bool:
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        delivery = row
        try:
            secret = self._hub.vault.open(row.secret)["secret"]
            headers = signing.headers(secret, str(delivery.event_id), int(clock.now().timestamp()), body)
            response = self._hub.http.post(row.url, content=body,
                                           headers={**headers, "content-type": "application/json"})
            error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        except (httpx2.HTTPError, KeyError, RuntimeError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        with self._hub.uow() as uow:
            if error is None:
                repository.update_delivery(uow.connection, delivery.id, state="delivered", delivered_at=clock.now(),
                                           attempts=delivery.attempts + 1, last_error=None)
            else:
                self._retry_later(uow, delivery, error)
            uow.commit()
        return error is None

    def _retry_later(self, uow: UnitOfWork, delivery: Any, error: str) -> None:
        log.warning("webhook delivery failed", delivery_id=str(delivery.id), error=error)
        attempts = delivery.attempts + 1
        wait = min(MAX_WAIT_S, BACK_OFF_S * 2 ** attempts)
        repository.update_delivery(uow.connection, delivery.id, attempts=attempts, last_error=error[:500],
                                   state="dead" if attempts >= self.max_attempts else "pending",
                                   next_attempt_at=clock.now() + timedelta(seconds=wait))

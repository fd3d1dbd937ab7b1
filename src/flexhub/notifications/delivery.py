"""From the outbox to the receivers: an event of a subscribed type becomes one delivery row per endpoint that
wants it (a partner's endpoint only its partner's events) and one job on the queue; the sender posts each
delivery whose job it claims, signed, with `webhook-id` = the event id so receivers drop repeats, outside any
transaction; a failure is retried with the queue's back-off and parked (`dead`) after `max_attempts`, until
someone retries it. The delivery row mirrors its job's attempts, error and state, for the API."""

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx2
import structlog

from flexhub.bus.consumers import once_per_event
from flexhub.bus.transport import Envelope
from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Failure, Policy, Record, Retry, owner_name, run_due
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.integrations.targets import UnsafeTarget, check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock, metrics
from flexhub.kernel.ids import new_id
from flexhub.notifications import repository, signing

log = structlog.get_logger(__name__)
BACK_OFF_S = 4.0  # 4 s, 8 s, 16 s… capped at an hour, half of each step jittered
MAX_WAIT_S = 3600.0
CONSUMER = "webhook-deliveries"
KIND = "webhook.deliver"


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
        rows = [{"id": new_id(), "tenant_id": envelope.tenant_id, "endpoint_id": e.id, "event_id": envelope.event_id,
                 "event_type": envelope.type, "payload": payload(envelope), "state": "pending", "attempts": 0,
                 "next_attempt_at": now, "created_at": now} for e in targets]
        # once_per_event made this event new to this consumer, so every row here is new: each gets its job.
        repository.add_deliveries(uow.connection, rows)
        enqueue(uow.connection, [delivery_job(row["id"], envelope.tenant_id) for row in rows])


class WebhookSender:
    """Posts the deliveries the job queue hands it (kind `webhook.deliver`, one job per endpoint and event): any
    number of workers may run it, and each delivery goes to one of them."""

    def __init__(self, uow_factory: UnitOfWorkFactory, *, http: httpx2.Client, vault: Vault,
                 max_attempts: int = 8, lease_s: float = 60.0) -> None:
        self._uow_factory = uow_factory
        self._http = http
        self._vault = vault
        self.max_attempts = max_attempts
        self._lease_s = lease_s
        self._owner = owner_name(KIND)

    def run_once(self, limit: int = 100) -> int:
        """Post the deliveries due; returns how many the receivers took."""
        return run_due(self._uow_factory, KIND, self._send, owner=self._owner, limit=limit,
                       policy=Policy(self.max_attempts, BACK_OFF_S, MAX_WAIT_S, self._lease_s), on_failure=self._failed)

    def _send(self, job: Claimed) -> Record | None:
        with self._uow_factory(write=False) as uow:
            row = repository.delivery_to_send(uow.connection, uuid.UUID(job.payload["delivery_id"]))
        if row is None or row.state == "delivered":
            return None  # its endpoint was deleted, or it went out before a retry was asked for
        body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
        try:
            check_target(row.url, allow_private=row.allow_private)  # again: the name may resolve elsewhere now
        except UnsafeTarget as refused:
            raise Retry(refused.message, give_up=True) from refused
        try:
            secret = self._vault.open(row.secret)["secret"]
            headers = signing.headers(secret, str(row.event_id), int(clock.now().timestamp()), body)
            response = self._http.post(row.url, content=body, headers={**headers, "content-type": "application/json"})
        except (httpx2.HTTPError, KeyError, RuntimeError) as failure:
            metrics.WEBHOOK_DELIVERIES.labels("failed").inc()
            raise Retry(f"{type(failure).__name__}: {failure}") from failure
        if not 200 <= response.status_code < 300:
            metrics.WEBHOOK_DELIVERIES.labels("failed").inc()
            raise Retry(f"HTTP {response.status_code}")
        metrics.WEBHOOK_DELIVERIES.labels("delivered").inc()
        return lambda uow: repository.update_delivery(uow.connection, row.id, state="delivered",
                                                      delivered_at=clock.now(), attempts=job.attempts,
                                                      last_error=None)

    def _failed(self, uow: UnitOfWork, job: Claimed, failure: Failure) -> None:
        log.warning("webhook delivery failed", delivery_id=job.payload["delivery_id"], error=failure.error)
        repository.update_delivery(uow.connection, uuid.UUID(job.payload["delivery_id"]), attempts=job.attempts,
                                   last_error=failure.error[:500], state=failure.state,
                                   next_attempt_at=failure.run_after or clock.now())


def delivery_job(delivery_id: uuid.UUID, tenant_id: uuid.UUID) -> NewJob:
    """The queue's job for one delivery: keyed by it, so a delivery is queued once."""
    return NewJob(KIND, {"delivery_id": str(delivery_id)}, key=str(delivery_id), tenant_id=tenant_id)

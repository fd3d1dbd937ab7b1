"""Telling the channel "shipped, with this tracking number": ShipmentShipped becomes a notice row and a job on the
queue (once per event); the notifier sends each notice whose job it claims through the channel adapter's
`shipment_request`, outside any transaction (after reading what the call must name, where the platform needs that:
Shopify's fulfillment orders); a failure — an HTTP error, a 200 whose body refuses, a notice the platform's records
cannot take — is one log line, retried with the queue's back-off and parked after `max_attempts`. The notice row
mirrors its job's attempts, error and state, so a failing notice shows in the exceptions queue from its first
failure until it is sent or someone retries it."""

import uuid
from typing import Any

import httpx2

from flexhub.bus.transport import Envelope
from flexhub.channels import ANSWER_ERRORS, SHIPMENT_LOOKUP, adapter_for, capable
from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Failure, Policy, Record, Retry, owner_name, run_due
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.fulfillment import queries, repository
from flexhub.integrations.paced import retry_after
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError

BACK_OFF_S = 2.0  # 2 s, 4 s, 8 s… capped at five minutes, half of each step jittered
MAX_WAIT_S = 300.0
KIND = "shipment.notice"


def notice_job(tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> NewJob:
    """The queue's job for a shipment's notice: keyed by the shipment, so it is queued once."""
    return NewJob(KIND, {"shipment_id": str(shipment_id)}, key=str(shipment_id), tenant_id=tenant_id)


def note_shipped(envelope: Envelope, uow: UnitOfWork) -> None:
    """The ShipmentShipped consumer (wrapped once per event): a notice to send, nothing sent here."""
    shipment_id = uuid.UUID(envelope.body["shipment_id"])
    repository.add_notice(uow.connection, envelope.tenant_id, shipment_id)
    enqueue(uow.connection, [notice_job(envelope.tenant_id, shipment_id)])


class ChannelNotifier:
    def __init__(self, uow_factory: UnitOfWorkFactory, *, http: httpx2.Client, vault: Vault, max_attempts: int = 6,
                 lease_s: float = 60.0) -> None:
        self._uow_factory = uow_factory
        self.http = http
        self._vault = vault
        self.max_attempts = max_attempts
        self._lease_s = lease_s
        self._owner = owner_name(KIND)

    def run_once(self, limit: int = 20) -> int:
        """Send the notices due; returns how many the channels took."""
        return run_due(self._uow_factory, KIND, self._send, owner=self._owner, limit=limit,
                       policy=Policy(self.max_attempts, BACK_OFF_S, MAX_WAIT_S, self._lease_s), on_failure=self._failed)

    def _send(self, job: Claimed) -> Record | None:
        shipment_id = uuid.UUID(job.payload["shipment_id"])
        with self._uow_factory(write=False) as uow:
            prepared = queries.notice_to_send(uow.connection, job.required_tenant(), shipment_id)
        if prepared is None:
            return None  # sent already (a retry asked for after it went), or its shipment is gone
        platform, sealed, notice = prepared
        adapter = adapter_for(platform)
        try:
            credentials = self._vault.open(sealed)
            lookup = capable(adapter, SHIPMENT_LOOKUP)
            if lookup is None:
                request = adapter.shipment_request(credentials, notice)
            else:  # the platform's own records of the order first (Shopify's fulfillment orders)
                looked_up = self._answer(adapter, lookup.shipment_lookup_request(credentials, notice))
                if not isinstance(looked_up, dict):
                    raise Retry(f"the {platform} lookup answered no JSON object")
                request = lookup.shipment_request(credentials, notice, looked_up)
            self._answer(adapter, request)
        except FlexhubError as refused:  # the notice cannot be made as things stand (nothing open to ship, say)
            raise Retry(f"{refused.code}: {refused.message}") from refused
        except (httpx2.HTTPError, KeyError, ValueError, NotImplementedError) as failure:
            raise Retry(f"{type(failure).__name__}: {failure}") from failure
        return lambda uow: repository.update_notice(uow.connection, job.required_tenant(), shipment_id, state="sent",
                                                    sent_at=clock.now(), last_error=None, attempts=job.attempts)

    def _answer(self, adapter: Any, request: ApiRequest) -> Any:
        """The platform's answer to one call, or Retry: an HTTP error, or a 200 whose body refuses (GraphQL)."""
        response = self.http.request(request.method, request.url, headers=request.headers,
                                     params=request.params or None, json=request.json, content=request.content)
        if response.status_code >= 300:
            raise Retry(f"HTTP {response.status_code}: {response.text[:200]}", retry_after=retry_after(response))
        try:
            body = response.json() if response.content else None
        except ValueError:  # a 2xx without JSON (a plain "OK"): taken
            body = None
        judge = capable(adapter, ANSWER_ERRORS)
        if judge is not None and isinstance(body, dict) and (refused := judge.response_error(body)):
            raise Retry(refused)
        return body

    def _failed(self, uow: UnitOfWork, job: Claimed, failure: Failure) -> None:
        # The job runner logs the try (one line, with the error); here the notice row shows it.
        repository.update_notice(uow.connection, job.required_tenant(), uuid.UUID(job.payload["shipment_id"]),
                                 attempts=job.attempts, last_error=failure.error[:500], state=failure.state,
                                 next_attempt_at=failure.run_after or clock.now())

"""Carrier tracking pushes: verify against the carrier account's secret and keep the raw body with a job on the
queue (so the carrier gets its answer fast and a crash loses nothing), then, in whichever worker claims the job,
parse the kept push with the carrier's adapter and record its scans on the shipments whose waybills they name.
Recording is idempotent, so a push the carrier sends again changes nothing."""

import uuid
from collections.abc import Mapping
from typing import Any, Protocol

import structlog
from httpx2 import Headers

from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Failure, Policy, Record, Retry, owner_name, run_due
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.fulfillment import repository
from flexhub.fulfillment.commands import RecordTrackingEvent
from flexhub.fulfillment.errors import BadCarrierSignature, UnknownCarrierAccount
from flexhub.integrations.signing import SignatureInvalid
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.shipping import TrackingEvent, carrier_for

log = structlog.get_logger(__name__)
KEPT_HEADERS = ("content-type", "user-agent")  # plus every header a carrier signs with (x-*, *sign*)
ANY_CARRIER = "kuaidi100"  # tracks other carriers' waybills: its scans may name any shipment
KIND = "carrier.push"
# A push that cannot be read now never will be (parked at once); one that failed otherwise (the database) is tried
# again a few times.
POLICY = Policy(max_attempts=5, first_s=1.0, cap_s=60.0)


class PushDesk(Protocol):
    """What receiving and recording carrier pushes uses: units of work, the vault for the account's secret, and the
    bus for RecordTrackingEvent."""

    @property
    def vault(self) -> Vault: ...

    def uow(self, *, write: bool = True) -> UnitOfWork: ...

    def handle(self, command: Any) -> Any: ...


def receive_push(desk: PushDesk, carrier: str, account: str, signals: Mapping[str, str], body: bytes) -> bytes:
    """Verify and keep one push; returns the acknowledgement the carrier expects. Raises BadCarrierSignature."""
    adapter = carrier_for(carrier)
    found = _account(desk, carrier, account)
    try:
        text = body.decode("utf-8")
        adapter.verify_push(desk.vault.open(found.credentials), Headers(signals), body)
    except (SignatureInvalid, KeyError, UnicodeDecodeError) as error:
        raise BadCarrierSignature(f"the push does not verify for this {carrier} account; nothing was stored") from error
    kept = {k: v for k, v in signals.items() if k in KEPT_HEADERS or k.startswith("x-") or "sign" in k}
    with desk.uow() as uow:
        push_id = new_id()
        repository.keep_push(uow.connection, {
            "id": push_id, "tenant_id": found.tenant_id, "carrier_account_id": found.id, "carrier": carrier,
            "headers": kept, "body": text, "state": "pending", "attempts": 0, "received_at": clock.now()})
        enqueue(uow.connection, [NewJob(KIND, {"push_id": str(push_id)}, key=str(push_id), tenant_id=found.tenant_id)])
        uow.commit()
    return adapter.push_ack


def process_pending(desk: PushDesk, limit: int = 100) -> int:
    """Record the scans of the pushes whose jobs this worker claims, oldest first; returns how many were recorded.
    Scans are recorded idempotently and an older one moves nothing, so workers may take pushes side by side."""
    def record(job: Claimed) -> Record | None:
        with desk.uow(write=False) as uow:
            row = repository.push(uow.connection, uuid.UUID(job.payload["push_id"]))
        if row is None or row.state != "pending":
            return None
        try:
            events = carrier_for(row.carrier).parse_push(Headers(row.headers), row.body.encode())
        except (FlexhubError, ValueError, KeyError, TypeError) as error:  # kept and shown, never dropped
            raise Retry(f"unparseable: {type(error).__name__}: {error}", give_up=True) from error
        record_scans(desk, row.tenant_id, row.carrier, events, source="push", request_id=str(row.id))
        return lambda uow: repository.settle_push(uow.connection, row.id, state="done", error=None,
                                                  processed_at=clock.now())

    def failed(uow: UnitOfWork, job: Claimed, failure: Failure) -> None:
        repository.settle_push(uow.connection, uuid.UUID(job.payload["push_id"]), error=failure.error[:500],
                               state="failed" if failure.state == "dead" else "pending", processed_at=clock.now())

    return run_due(desk.uow, KIND, record, owner=owner_name(KIND), limit=limit, policy=POLICY, on_failure=failed)


def record_scans(desk: PushDesk, tenant_id: uuid.UUID, carrier: str, events: list[TrackingEvent], *, source: str,
                 request_id: str | None = None) -> int:
    """Record each scan on the shipment its waybill names; returns how many were new. Unknown waybills are skipped
    (a carrier account may carry parcels the hub did not ship)."""
    with desk.uow(write=False) as uow:
        shipments = repository.shipments_by_waybill(uow.connection, tenant_id, [e.waybill_number for e in events],
                                                    None if carrier == ANY_CARRIER else carrier)
    actor = Actor(tenant_id=tenant_id, role="operator", name=f"carrier:{carrier}", request_id=request_id)
    recorded = 0
    for event in events:
        shipment_id = shipments.get(event.waybill_number)
        if shipment_id is None:
            continue
        try:
            outcome = desk.handle(RecordTrackingEvent(
                actor=actor, shipment_id=str(shipment_id), state=event.state, at=event.at.isoformat(),
                description=event.description, carrier_code=event.carrier_code, location=event.location,
                source=source))
        except FlexhubError as error:  # e.g. a scan for a shipment cancelled meanwhile: nothing to move
            log.info("tracking scan not recorded", shipment_id=str(shipment_id), error=str(error))
            continue
        recorded += outcome.recorded
    return recorded


def _account(desk: PushDesk, carrier: str, text: str) -> Any:
    try:
        account_id = uuid.UUID(text)
    except ValueError:
        account_id = None
    with desk.uow(write=False) as uow:
        found = repository.pushing_account(uow.connection, carrier, account_id) if account_id else None
    if found is None:
        raise UnknownCarrierAccount(f"no {carrier} account {text}")
    return found

"""Carrier tracking pushes: verify against the carrier account's secret and keep the raw body (so the carrier
gets its answer fast and a crash loses nothing), then, in a worker, parse each kept push with the carrier's
adapter and record its scans on the shipments whose waybills they name. Recording is idempotent, so a push
the carrier sends again changes nothing."""

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import structlog
from httpx2 import Headers

from flexhub.fulfillment import repository
from flexhub.fulfillment.commands import RecordTrackingEvent
from flexhub.fulfillment.errors import BadCarrierSignature, UnknownCarrierAccount
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.shipping.carrier import SignatureInvalid, TrackingEvent
from flexhub.shipping.registry import carrier_for

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub

log = structlog.get_logger(__name__)
KEPT_HEADERS = ("content-type", "user-agent")  # plus every header a carrier signs with (x-*, *sign*)
ANY_CARRIER = "kuaidi100"  # tracks other carriers' waybills: its scans may name any shipment


def receive_push(hub: "Hub", carrier: str, account: str, signals: Mapping[str, str], body: bytes) -> bytes:
    """Verify and keep one push; returns the acknowledgement the carrier expects. Raises BadCarrierSignature."""
    adapter = carrier_for(carrier)
    found = _account(hub, carrier, account)
    try:
        text = body.decode("utf-8")
        adapter.verify_push(hub.vault.open(found.credentials), Headers(signals), body)
    except (SignatureInvalid, KeyError, UnicodeDecodeError) as error:
        raise BadCarrierSignature(f"the push does not verify for this {carrier} account; nothing was stored") from error
    kept = {k: v for k, v in signals.items() if k in KEPT_HEADERS or k.startswith("x-") or "sign" in k}
    with hub.uow() as uow:
        repository.keep_push(uow.connection, {
            "id": new_id(), "tenant_id": found.tenant_id, "carrier_account_id": found.id, "carrier": carrier,
            "headers": kept, "body": text, "state": "pending", "attempts": 0, "received_at": clock.now()})
        uow.commit()
    return adapter.push_ack


def process_pending(hub: "Hub", limit: int = 100) -> int:
    """Record the scans of the pushes kept, oldest first; returns how many pushes were settled."""
    with hub.uow(write=False) as uow:
        rows = repository.pending_pushes(uow.connection, limit)
    for row in rows:
        try:
            events = carrier_for(row.carrier).parse_push(Headers(row.headers), row.body.encode())
        except (FlexhubError, ValueError, KeyError, TypeError) as error:  # kept and shown, never dropped
            _settle(hub, row.id, "failed", f"unparseable: {type(error).__name__}: {error}")
            continue
        record_scans(hub, row.tenant_id, row.carrier, events, source="push", request_id=str(row.id))
        _settle(hub, row.id, "done", None)
    return len(rows)


def record_scans(hub: "Hub", tenant_id: uuid.UUID, carrier: str, events: list[TrackingEvent], *, source: str,
                 request_id: str | None = None) -> int:
    """Record each scan on the shipment its waybill names; returns how many were new. Unknown waybills are skipped
    (a carrier account may carry parcels the hub did not ship)."""
    with hub.uow(write=False) as uow:
        shipments = repository.shipments_by_waybill(uow.connection, tenant_id, [e.waybill_number for e in events],
                                                    None if carrier == ANY_CARRIER else carrier)
    actor = Actor(tenant_id=tenant_id, role="operator", name=f"carrier:{carrier}", request_id=request_id)
    recorded = 0
    for event in events:
        shipment_id = shipments.get(event.waybill_number)
        if shipment_id is None:
            continue
        try:
            outcome = hub.handle(RecordTrackingEvent(
                actor=actor, shipment_id=str(shipment_id), state=event.state, at=event.at.isoformat(),
                description=event.description, carrier_code=event.carrier_code, location=event.location,
                source=source))
        except FlexhubError as error:  # e.g. a scan for a shipment cancelled meanwhile: nothing to move
            log.info("tracking scan not recorded", shipment_id=str(shipment_id), error=str(error))
            continue
        recorded += outcome.recorded
    return recorded


def _account(hub: "Hub", carrier: str, text: str) -> Any:
    try:
        account_id = uuid.UUID(text)
    except ValueError:
        account_id = None
    with hub.uow(write=False) as uow:
        found = repository.pushing_account(uow.connection, carrier, account_id) if account_id else None
    if found is None:
        raise UnknownCarrierAccount(f"no {carrier} account {text}")
    return found


def _settle(hub: "Hub", push_id: uuid.UUID, state: str, error: str | None) -> None:
    with hub.uow() as uow:
        repository.settle_push(uow.connection, push_id, state=state, error=error, processed_at=clock.now())
        uow.commit()

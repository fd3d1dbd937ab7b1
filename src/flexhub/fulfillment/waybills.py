"""Waybills from carriers, outside any transaction: a shipment with a carrier has a job on the queue; whoever
claims it (a worker, or the API and the warehouse asking at once) reads what the carrier needs, sends the
adapter's request, then stores the waybill (and a label: the carrier's, else our own PDF). A carrier error is
retried with the queue's back-off; after `max_attempts` the shipment's waybill is `failed` and shows in the
exceptions queue until someone asks again."""

import uuid
from typing import Any

import httpx2
import structlog

from flexhub import resellers
from flexhub.db.jobs import Claimed, NewJob
from flexhub.db.jobs.runner import Failure, Policy, Record, Retry, owner_name, run_due, run_key
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.fulfillment import queries, repository
from flexhub.fulfillment.errors import NoCarrierAccount
from flexhub.integrations.vault import Vault
from flexhub.kernel.errors import FlexhubError
from flexhub.shipping import Address, Parcel, Shipment, carrier_for, labels

log = structlog.get_logger(__name__)
DEFAULT_WEIGHT_G = 500  # a SKU without a weight
BACK_OFF_S = 5.0  # 5 s, 10 s, 20 s… capped at ten minutes, half of each step jittered
MAX_WAIT_S = 600.0
KIND = "waybill.issue"


def waybill_job(tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> NewJob:
    """The queue's job for a shipment's waybill: keyed by the shipment, so it is queued once."""
    return NewJob(KIND, {"shipment_id": str(shipment_id)}, key=str(shipment_id), tenant_id=tenant_id)


class WaybillDesk:
    def __init__(self, uow_factory: UnitOfWorkFactory, *, http: httpx2.Client, vault: Vault, max_attempts: int = 5,
                 lease_s: float = 60.0) -> None:
        self._uow_factory = uow_factory
        self.http = http
        self._vault = vault
        self.max_attempts = max_attempts
        self._lease_s = lease_s
        self._owner = owner_name(KIND)

    def run_once(self, limit: int = 20) -> int:
        """Issue the waybills whose jobs are due; returns how many were issued."""
        return run_due(self._uow_factory, KIND, self._issue, owner=self._owner, limit=limit, policy=self._policy(),
                       on_failure=self._failed)

    def issue(self, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> bool:
        """Ask the carrier now (the API and the warehouse want the waybill at once), unless a worker has the job."""
        return bool(run_key(self._uow_factory, KIND, str(shipment_id), self._issue, owner=self._owner,
                            policy=self._policy(), on_failure=self._failed))

    def _policy(self) -> Policy:
        return Policy(self.max_attempts, BACK_OFF_S, MAX_WAIT_S, self._lease_s)

    def _issue(self, job: Claimed) -> Record | None:
        shipment_id = uuid.UUID(job.payload["shipment_id"])
        try:
            with self._uow_factory(write=False) as uow:
                prepared = self._prepare(uow, job.required_tenant(), shipment_id)
            if prepared is None:
                return None  # issued meanwhile, or no longer waiting for one
            carrier, credentials, request_shipment = prepared
            adapter = carrier_for(carrier)
            request = adapter.waybill_request(credentials, request_shipment)
            response = self.http.request(request.method, request.url, headers=request.headers,
                                         params=request.params or None, json=request.json, content=request.content)
            if response.status_code >= 300:
                raise FlexhubError(f"HTTP {response.status_code}: {response.text[:200]}")
            waybill = adapter.parse_waybill(response.json())
        except (FlexhubError, httpx2.HTTPError, ValueError, KeyError) as error:
            raise Retry(f"{type(error).__name__}: {error}"[:500]) from error
        label = waybill.label
        if label is None and waybill.label_url is None:
            label = labels.render(waybill, request_shipment, carrier=carrier)

        def store(uow: UnitOfWork) -> None:
            repository.issue_waybill(uow.connection, shipment_id, waybill_number=waybill.number, label=label,
                                     label_url=waybill.label_url,
                                     label_format=waybill.label_format or ("pdf" if label else None))
        return store

    def _prepare(self, uow: Any, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> tuple[str, dict, Shipment] | None:
        parts = queries.waybill_parts(uow.connection, tenant_id, shipment_id)
        if parts is None:
            return None
        if parts.account is None:
            raise NoCarrierAccount(f"no {parts.shipment.carrier} account for this node or tenant")
        weight = sum((parts.weights.get(r.sku_id) or DEFAULT_WEIGHT_G) * r.quantity for r in parts.lines)
        brand = resellers.blind_sender(uow.connection, tenant_id, parts.order.partner_id)
        request = Shipment(reference=str(shipment_id), sender=_sender(parts.node, brand),
                           recipient=queries.recipient_of(parts.order),
                           parcels=(Parcel(weight_g=weight),), service=parts.shipment.service)
        return parts.shipment.carrier, self._vault.open(parts.account.credentials), request

    def _failed(self, uow: UnitOfWork, job: Claimed, failure: Failure) -> None:
        log.warning("waybill failed", shipment_id=job.payload["shipment_id"], error=failure.error)
        repository.update_shipment(uow.connection, uuid.UUID(job.payload["shipment_id"]),
                                   waybill_attempts=job.attempts, waybill_error=failure.error[:500],
                                   waybill_state="failed" if failure.state == "dead" else "pending")


def _sender(node: Any, brand: Any) -> Address:
    """The node ships; a reseller's parcel names the reseller as its sender (blind drop-ship): the node's city for
    the carrier's pick-up, never the node's or the brand's name."""
    if brand is None:
        return Address(name=node.name, phone="", country=node.country or "CN", line1=node.name,
                       city=node.city or "", province=node.province or "")
    return Address(name=brand.name, phone=brand.phone, country=node.country or "CN", line1=node.city or brand.name,
                   city=node.city or "", province=node.province or "")

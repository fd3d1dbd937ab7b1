"""Waybills from carriers, outside any transaction: read what the carrier needs, send the adapter's request
with the hub's HTTP client, then store the waybill (and a label: the carrier's, else our own PDF). A carrier
error is counted; after `max_attempts` the shipment's waybill is `failed` and shows in the exceptions queue."""

import uuid
from typing import TYPE_CHECKING, Any

import httpx2
import structlog
from sqlalchemy import select

from flexhub.catalog.model import Sku
from flexhub.fulfillment import repository
from flexhub.fulfillment.errors import NoCarrierAccount, UnknownShipment
from flexhub.inventory.model import Location
from flexhub.kernel.errors import FlexhubError
from flexhub.ordering.model import Order
from flexhub.shipping import labels
from flexhub.shipping.carrier import Address, Parcel, Shipment
from flexhub.shipping.registry import carrier_for

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub

log = structlog.get_logger(__name__)
DEFAULT_WEIGHT_G = 500  # a SKU without a weight


class WaybillDesk:
    def __init__(self, hub: "Hub", *, max_attempts: int = 5) -> None:
        self._hub = hub
        self.max_attempts = max_attempts

    def run_once(self, limit: int = 50) -> int:
        """Issue the waybills waiting; returns how many were issued."""
        with self._hub.uow(write=False) as uow:
            due = repository.pending_waybills(uow.connection, limit, self.max_attempts)
        return sum(self.issue(tenant_id, shipment_id) for tenant_id, shipment_id in due)

    def issue(self, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> bool:
        try:
            with self._hub.uow(write=False) as uow:
                carrier, credentials, request_shipment = self._prepare(uow, tenant_id, shipment_id)
            adapter = carrier_for(carrier)
            request = adapter.waybill_request(credentials, request_shipment)
            response = self._hub.http.request(request.method, request.url, headers=request.headers,
                                              params=request.params or None, json=request.json,
                                              content=request.content)
            if response.status_code >= 300:
                raise FlexhubError(f"HTTP {response.status_code}: {response.text[:200]}")
            waybill = adapter.parse_waybill(response.json())
        except (FlexhubError, httpx2.HTTPError, ValueError, KeyError) as error:
            self._failed(tenant_id, shipment_id, f"{type(error).__name__}: {error}"[:500])
            return False
        label = waybill.label
        if label is None and waybill.label_url is None:
            label = labels.render(waybill, request_shipment, carrier=carrier)
        with self._hub.uow() as uow:
            stored = repository.issue_waybill(uow.connection, shipment_id, waybill_number=waybill.number, label=label,
                                              label_url=waybill.label_url,
                                              label_format=waybill.label_format or ("pdf" if label else None))
            uow.commit()
        return stored

    def _prepare(self, uow: Any, tenant_id: uuid.UUID, shipment_id: uuid.UUID) -> tuple[str, dict, Shipment]:
        c = uow.connection
        shipment = repository.shipment(c, tenant_id, shipment_id)
        if shipment is None or not shipment.carrier:
            raise UnknownShipment(f"no shipment {shipment_id} with a carrier")
        account = repository.carrier_account(c, tenant_id, shipment.carrier, shipment.location_id)
        if account is None:
            raise NoCarrierAccount(f"no {shipment.carrier} account for this node or tenant")
        order = c.execute(select(Order).where(Order.id == shipment.order_id)).first()
        node = c.execute(select(Location).where(Location.id == shipment.location_id)).first()
        lines = repository.lines_of(c, [shipment.id])
        weights = dict(c.execute(select(Sku.id, Sku.weight_g).where(Sku.id.in_({r.sku_id for r in lines}))).all())
        weight = sum((weights.get(r.sku_id) or DEFAULT_WEIGHT_G) * r.quantity for r in lines)
        request = Shipment(reference=str(shipment.id), sender=_sender(node), recipient=_recipient(order),
                           parcels=(Parcel(weight_g=weight),), service=shipment.service)
        return shipment.carrier, self._hub.vault.open(account.credentials), request

    def _failed(self, tenant_id: uuid.UUID, shipment_id: uuid.UUID, error: str) -> None:
        log.warning("waybill failed", shipment_id=str(shipment_id), error=error)
        with self._hub.uow() as uow:
            shipment = repository.shipment(uow.connection, tenant_id, shipment_id)
            if shipment is None or shipment.waybill_state not in ("pending", "failed"):
                return
            attempts = shipment.waybill_attempts + 1
            repository.update_shipment(uow.connection, shipment_id, waybill_attempts=attempts, waybill_error=error,
                                       waybill_state="failed" if attempts >= self.max_attempts else "pending")
            uow.commit()


def _sender(node: Any) -> Address:
    return Address(name=node.name, phone="", country=node.country or "CN", line1=node.name, city=node.city or "",
                   province=node.province or "")


def _recipient(order: Any) -> Address:
    to, buyer = order.shipping_address or {}, order.buyer or {}
    return Address(name=to.get("name") or buyer.get("name", ""), phone=to.get("phone") or buyer.get("phone", ""),
                   country=to.get("country", "CN"), line1=to.get("line1", ""), line2=to.get("line2", ""),
                   city=to.get("city", ""), province=to.get("province", ""), district=to.get("district", ""),
                   postal_code=to.get("postal_code", ""))

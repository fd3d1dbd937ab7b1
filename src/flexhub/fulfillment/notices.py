"""Telling the channel "shipped, with this tracking number": ShipmentShipped becomes a notice row (once per
event); the notifier sends each due notice through the channel adapter's `shipment_request` with the hub's
HTTP client, outside any transaction, retries with back-off and parks it after `max_attempts` (shown in the
exceptions queue, with the error, until someone retries it)."""

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx2
import structlog
from sqlalchemy import select

from flexhub.bus.transport import Envelope
from flexhub.channels import registry
from flexhub.channels.adapter import ShipmentNotice
from flexhub.channels.model import Channel
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.fulfillment import repository
from flexhub.kernel import clock
from flexhub.ordering.model import Order, OrderLine

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub

log = structlog.get_logger(__name__)
BACK_OFF_S = 1.0  # 2 s, 4 s, 8 s… capped at five minutes


def note_shipped(envelope: Envelope, uow: UnitOfWork) -> None:
    """The ShipmentShipped consumer (wrapped once per event): a notice to send, nothing sent here."""
    repository.add_notice(uow.connection, envelope.tenant_id, uuid.UUID(envelope.body["shipment_id"]))


class ChannelNotifier:
    def __init__(self, hub: "Hub", *, max_attempts: int = 6) -> None:
        self._hub = hub
        self.max_attempts = max_attempts

    def run_once(self, limit: int = 100) -> int:
        """Send the notices due; returns how many the channels took."""
        with self._hub.uow(write=False) as uow:
            due = [(n, self._notice(uow, n)) for n in repository.due_notices(uow.connection, limit)]
        return sum(self._send(row, prepared) for row, prepared in due)

    def _notice(self, uow: UnitOfWork, row: Any) -> tuple[str, str | None, ShipmentNotice]:
        c = uow.connection
        shipment = repository.shipment(c, row.tenant_id, row.shipment_id)
        order = c.execute(select(Order.external_id, Order.channel_id).where(Order.id == shipment.order_id)).first()
        channel = c.execute(select(Channel.platform, Channel.credentials).where(Channel.id == order.channel_id)).first()
        external = dict(c.execute(select(OrderLine.line_no, OrderLine.external_line_id)
                                  .where(OrderLine.order_id == shipment.order_id)).all())
        lines = tuple((external.get(r.line_no) or str(r.line_no), r.quantity)
                      for r in repository.lines_of(c, [shipment.id]))
        notice = ShipmentNotice(external_id=order.external_id, carrier=shipment.carrier or "",
                                tracking_number=shipment.waybill_number or "", lines=lines,
                                shipped_at=shipment.shipped_at)
        return channel.platform, channel.credentials, notice

    def _send(self, row: Any, prepared: tuple[str, str | None, ShipmentNotice]) -> bool:
        platform, sealed, notice = prepared
        try:
            request = registry.adapter_for(platform).shipment_request(self._hub.vault.open(sealed), notice)
            response = self._hub.http.request(request.method, request.url, headers=request.headers,
                                              params=request.params or None, json=request.json,
                                              content=request.content)
            error = None if response.status_code < 300 else f"HTTP {response.status_code}: {response.text[:200]}"
        except (httpx2.HTTPError, KeyError, ValueError, NotImplementedError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        with self._hub.uow() as uow:
            if error is None:
                repository.update_notice(uow.connection, row.tenant_id, row.shipment_id, state="sent",
                                         sent_at=clock.now(), last_error=None, attempts=row.attempts + 1)
            else:
                self._retry_later(uow, row, error)
            uow.commit()
        return error is None

    def _retry_later(self, uow: UnitOfWork, row: Any, error: str) -> None:
        log.warning("shipment notice failed", shipment_id=str(row.shipment_id), error=error)
        attempts = row.attempts + 1
        wait = min(300.0, BACK_OFF_S * 2 ** attempts)
        repository.update_notice(uow.connection, row.tenant_id, row.shipment_id, attempts=attempts,
                                 last_error=error[:500], state="dead" if attempts >= self.max_attempts else "pending",
                                 next_attempt_at=clock.now() + timedelta(seconds=wait))

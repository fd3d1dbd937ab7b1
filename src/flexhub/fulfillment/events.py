"""Fulfilment events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class ShipmentCreated(Event):
    shipment_id: str
    order_id: str
    node: str
    carrier: str | None


@dataclass(frozen=True, kw_only=True)
class ShipmentShipped(Event):
    """The consumer tells the order's channel "shipped, with this tracking number"."""

    shipment_id: str
    order_id: str
    carrier: str | None
    waybill_number: str | None
    units: int


@dataclass(frozen=True, kw_only=True)
class ShipmentStateChanged(Event):
    shipment_id: str
    order_id: str
    state: str
    tracking_state: str | None = None

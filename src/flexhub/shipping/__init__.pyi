"""The public face of flexhub.shipping: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.shipping import labels, packing_slips
from flexhub.shipping.carrier import (
    TRACKING_STATES,
    Address,
    CarrierAdapter,
    Parcel,
    Quote,
    Shipment,
    TrackingEvent,
    Waybill,
)
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported, UnknownCarrier
from flexhub.shipping.registry import carrier_for

__all__ = [
    "Address", "CarrierAdapter", "CarrierRefused", "CarrierUnsupported", "Parcel", "Quote", "Shipment",
    "TRACKING_STATES", "TrackingEvent", "UnknownCarrier", "Waybill", "carrier_for", "labels",
    "packing_slips",
]

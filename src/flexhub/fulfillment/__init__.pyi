"""The public face of flexhub.fulfillment: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.fulfillment.commands import (
    CancelShipment,
    CarrierAccountCreated,
    CollectPickup,
    ConfirmPick,
    CreateCarrierAccount,
    CreateShipment,
    IssueWaybill,
    LostReshipped,
    NewShipment,
    NoticeRetried,
    PackShipment,
    PollTracking,
    RecordTrackingEvent,
    ReshipLostShipment,
    RetryShipmentNotice,
    ShipmentStep,
    ShippedShipment,
    ShipShipment,
    TrackingRecorded,
)
from flexhub.fulfillment.errors import (
    BadCarrierSignature,
    InvalidShipmentTransition,
    NoCarrierAccount,
    NodeRequired,
    NoLabel,
    NothingToShip,
    NotShippable,
    NotTrackable,
    NoWaybill,
    UnknownCarrierAccount,
    UnknownShipment,
    WrongPickupCode,
)
from flexhub.fulfillment.events import ShipmentCreated, ShipmentShipped, ShipmentStateChanged
from flexhub.fulfillment.queries import dropship_tasks, open_shipment_ids, shipment_view, shipments_of

__all__ = [
    "BadCarrierSignature", "CancelShipment", "CarrierAccountCreated", "CollectPickup", "ConfirmPick",
    "CreateCarrierAccount", "CreateShipment", "InvalidShipmentTransition", "IssueWaybill", "LostReshipped",
    "NewShipment", "NoCarrierAccount", "NoLabel", "NoWaybill", "NodeRequired", "NotShippable", "NotTrackable",
    "NothingToShip", "NoticeRetried", "PackShipment", "PollTracking", "RecordTrackingEvent", "ReshipLostShipment",
    "RetryShipmentNotice", "ShipShipment", "ShipmentCreated", "ShipmentShipped", "ShipmentStateChanged", "ShipmentStep",
    "ShippedShipment", "TrackingRecorded", "UnknownCarrierAccount", "UnknownShipment", "WrongPickupCode",
    "dropship_tasks", "open_shipment_ids", "shipment_view", "shipments_of",
]

"""Fulfilment commands, and the typed results their handlers answer."""

import uuid
from dataclasses import dataclass, field

from flexhub.kernel.messages import Command
from flexhub.routing import RoutingOutcome


@dataclass(frozen=True, kw_only=True)
class CreateShipment(Command):
    """A parcel from the units a routed order holds at one node; `lines` maps line numbers to units (None: all)."""

    order_id: str
    node: str | None = None  # None: the one node the order's reservations are at
    lines: dict[int, int | None] | None = None  # None: everything free at the node
    carrier: str | None = None
    service: str | None = None


@dataclass(frozen=True, kw_only=True)
class IssueWaybill(Command):
    """Ask the carrier again for a shipment's waybill (after a carrier error)."""

    shipment_id: str


@dataclass(frozen=True, kw_only=True)
class ConfirmPick(Command):
    """The node picked the shipment; `short` maps SKU codes to units it could not find."""

    shipment_id: str
    short: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class PackShipment(Command):
    shipment_id: str


@dataclass(frozen=True, kw_only=True)
class ShipShipment(Command):
    """Hand the parcel to the carrier: the reservations are consumed; a waybill given by hand is kept."""

    shipment_id: str
    waybill_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class CollectPickup(Command):
    """The buyer collected a pickup order in store with its code."""

    shipment_id: str
    code: str


@dataclass(frozen=True, kw_only=True)
class CancelShipment(Command):
    """Give up a shipment not yet shipped; its units stay reserved for the order."""

    shipment_id: str
    reason: str = "cancelled"


@dataclass(frozen=True, kw_only=True)
class RecordTrackingEvent(Command):
    """A carrier scan (pushed, polled) or one entered by hand; the same scan twice is kept once."""

    shipment_id: str
    state: str  # one of shipping.carrier.TRACKING_STATES
    at: str | None = None  # ISO time; None: now
    description: str = ""
    carrier_code: str = ""  # the carrier's own scan code
    location: str = ""
    source: str = "manual"  # manual | push | poll


@dataclass(frozen=True, kw_only=True)
class CreateCarrierAccount(Command):
    carrier: str
    credentials: dict[str, str]
    node: str | None = None  # None: every node of the tenant


@dataclass(frozen=True, kw_only=True)
class RetryShipmentNotice(Command):
    shipment_id: str


@dataclass(frozen=True, kw_only=True)
class PollTracking(Command):
    """Ask the carrier for a moving shipment's tracking now, rather than at its next turn."""

    shipment_id: str


@dataclass(frozen=True, kw_only=True)
class ReshipLostShipment(Command):
    """The carrier lost the parcel: write it off as lost and ship its units again from the same node."""

    shipment_id: str
    reason: str = "lost by the carrier"


@dataclass(frozen=True, kw_only=True)
class NewShipment:
    """What CreateShipment answers; a `pending` waybill is asked for after the transaction."""

    id: uuid.UUID
    state: str
    waybill_state: str
    pickup_code: str | None


@dataclass(frozen=True, kw_only=True)
class ShipmentStep:
    """What a step that moves or re-queues a shipment answers (pick, pack, cancel, collect, waybill, poll)."""

    id: uuid.UUID
    state: str | None = None  # None: the step changed no state (a waybill or a poll asked for again)
    reroute: RoutingOutcome | None = None  # a short pick: where the order was routed again


@dataclass(frozen=True, kw_only=True)
class ShippedShipment:
    id: uuid.UUID
    state: str
    waybill_number: str
    order_status: str


@dataclass(frozen=True, kw_only=True)
class TrackingRecorded:
    """What RecordTrackingEvent answers; `recorded` is False for a scan kept already."""

    id: uuid.UUID
    state: str
    tracking_state: str | None
    recorded: bool


@dataclass(frozen=True, kw_only=True)
class LostReshipped:
    id: uuid.UUID
    state: str
    replacement: NewShipment


@dataclass(frozen=True, kw_only=True)
class CarrierAccountCreated:
    id: uuid.UUID
    carrier: str
    node: str | None


@dataclass(frozen=True, kw_only=True)
class NoticeRetried:
    shipment_id: str
    state: str

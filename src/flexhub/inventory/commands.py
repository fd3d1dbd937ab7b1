"""Inventory commands."""

import uuid
from dataclasses import dataclass, field

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class CreateLocation(Command):
    code: str
    kind: str
    name: str | None = None
    partner: str | None = None
    region: str | None = None
    country: str | None = None
    province: str | None = None
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    can_ship: bool = True
    can_pickup: bool = False
    priority: int = 100
    daily_capacity: int | None = None
    secure: bool = False
    packs_fragile: bool = False


@dataclass(frozen=True, kw_only=True)
class AdjustStock(Command):
    """Receive (reason 'receive'), correct or write off on-hand stock by a signed quantity."""

    sku: str
    location: str
    quantity_delta: int
    reason: str
    pool: str = "spot"
    kind: str = "adjust"
    reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class CountStock(Command):
    """A cycle count: on hand becomes the counted quantity; the difference goes to the ledger."""

    sku: str
    location: str
    counted: int
    pool: str = "spot"
    reason: str = "cycle count"


@dataclass(frozen=True, kw_only=True)
class SetSafetyStock(Command):
    sku: str
    location: str
    quantity: int
    pool: str = "spot"


@dataclass(frozen=True, kw_only=True)
class AssignBins(Command):
    """Where SKUs sit at a node: SKU code → bin (as the warehouse names it; picking lists walk in its order)."""

    location: str
    bins: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class TransferLineSpec:
    sku: str
    quantity: int
    pool: str = "spot"


@dataclass(frozen=True, kw_only=True)
class CreateTransfer(Command):
    from_location: str
    to_location: str
    lines: list[TransferLineSpec] = field(default_factory=list)
    reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveTransfer(Command):
    transfer_id: str


@dataclass(frozen=True, kw_only=True)
class ReleaseExpiredReservations(Command):
    limit: int = 500


@dataclass(frozen=True, kw_only=True)
class LocationCreated:
    """What CreateLocation answers."""

    id: uuid.UUID
    code: str
    kind: str
    name: str
    can_ship: bool
    can_pickup: bool
    priority: int


@dataclass(frozen=True, kw_only=True)
class LevelFigures:
    """What AdjustStock and CountStock answer: the stock level afterwards."""

    sku: str
    location: str
    pool: str
    on_hand: int
    reserved: int
    safety: int
    in_transit: int
    available: int


@dataclass(frozen=True, kw_only=True)
class SafetyStockSet:
    """What SetSafetyStock answers."""

    sku: str
    location: str
    pool: str
    safety: int


@dataclass(frozen=True, kw_only=True)
class TransferState:
    """What CreateTransfer and ReceiveTransfer answer."""

    id: uuid.UUID
    state: str

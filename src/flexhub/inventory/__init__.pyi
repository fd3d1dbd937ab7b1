"""The public face of flexhub.inventory: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.inventory import ledger, reservations
from flexhub.inventory.commands import (
    AdjustStock,
    AssignBins,
    CountStock,
    CreateLocation,
    CreateTransfer,
    LevelFigures,
    LocationCreated,
    ReceiveTransfer,
    ReleaseExpiredReservations,
    SafetyStockSet,
    SetSafetyStock,
    TransferLineSpec,
    TransferState,
)
from flexhub.inventory.errors import (
    InsufficientStock,
    InvalidPool,
    InvalidQuantity,
    LocationExists,
    NegativeStock,
    UnknownLocation,
    UnknownTransfer,
)
from flexhub.inventory.events import ReservationsExpired, StockChanged
from flexhub.inventory.ledger import Movement, level_documents
from flexhub.inventory.queries import levels_for_sku, movements_of_change, on_hand_in_pools_at
from flexhub.inventory.repository import (
    active_reservations,
    active_reservations_at,
    expired_order_ids,
    location_by_code,
    lock_levels,
    lock_levels_by_key,
)
from flexhub.inventory.reservations import Holder, ReservationPlan
from flexhub.inventory.rules import (
    PRESALE,
    SPOT,
    Delta,
    Level,
    LevelKey,
    Need,
    Take,
    is_valid_pool,
    movement_delta,
    plan_in_arrival_order,
)

__all__ = [
    "AdjustStock", "CountStock", "CreateLocation", "CreateTransfer", "Delta", "Holder", "InsufficientStock",
    "InvalidPool", "InvalidQuantity", "Level", "LevelFigures", "LevelKey", "LocationCreated", "LocationExists",
    "Movement", "Need", "NegativeStock", "PRESALE", "ReceiveTransfer", "ReleaseExpiredReservations", "ReservationPlan",
    "ReservationsExpired", "SPOT", "SafetyStockSet", "AssignBins", "SetSafetyStock", "StockChanged", "Take",
    "TransferLineSpec",
    "TransferState", "UnknownLocation", "UnknownTransfer", "active_reservations", "active_reservations_at",
    "expired_order_ids", "is_valid_pool",
    "ledger", "level_documents", "levels_for_sku", "location_by_code", "lock_levels", "lock_levels_by_key",
    "movement_delta", "movements_of_change", "on_hand_in_pools_at", "plan_in_arrival_order", "reservations",
]

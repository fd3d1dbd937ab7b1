"""The public face of flexhub.purchasing: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.purchasing.commands import (
    ActOnOrder,
    AmendPurchaseOrder,
    AnnounceShipment,
    CreatePurchaseOrder,
    OrderFromSuggestions,
    OrderLineSpec,
    OrdersFromSuggestions,
    ProposeChange,
    ReceiveAsn,
    ResolveDiscrepancy,
    SetFactory,
    SetSupplierSku,
)
from flexhub.purchasing.errors import (
    AlreadyReceived,
    AlreadyResolved,
    IncompleteOrder,
    InvalidLines,
    InvalidResolution,
    InvalidTransition,
    NotASupplier,
    NothingToOrder,
    OverAnnounced,
    OverCapacity,
    PastDate,
    UnknownAsn,
    UnknownDiscrepancy,
    UnknownOrder,
    UnknownSupplier,
)
from flexhub.purchasing.events import (
    AsnAnnounced,
    DiscrepancyRaised,
    GoodsReceived,
    PurchaseOrderAmended,
    PurchaseOrderChanged,
    PurchaseOrderSent,
    PurchaseOrderStateChanged,
)
from flexhub.purchasing.queries import on_order, order_view, sourcing_terms

__all__ = [
    "ActOnOrder", "AlreadyReceived", "AlreadyResolved", "AmendPurchaseOrder", "AnnounceShipment", "AsnAnnounced",
    "CreatePurchaseOrder", "DiscrepancyRaised", "GoodsReceived", "IncompleteOrder", "InvalidLines", "InvalidResolution",
    "InvalidTransition", "NotASupplier", "NothingToOrder", "OrderFromSuggestions", "OrderLineSpec",
    "OrdersFromSuggestions", "OverAnnounced", "OverCapacity", "PastDate", "ProposeChange", "PurchaseOrderAmended",
    "PurchaseOrderChanged", "PurchaseOrderSent", "PurchaseOrderStateChanged", "ReceiveAsn", "ResolveDiscrepancy",
    "SetFactory", "SetSupplierSku", "UnknownAsn", "UnknownDiscrepancy", "UnknownOrder", "UnknownSupplier", "on_order",
    "order_view", "sourcing_terms",
]

"""Purchasing commands: terms and factories, orders and what the brand and the supplier do with them,
shipment notices, receipts and the resolution of what receiving found."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flexhub.kernel.messages import Command
from flexhub.kernel.results import Result
from flexhub.purchasing.schemas import OrderOut


@dataclass(frozen=True, kw_only=True)
class SetSupplierSku(Command):
    supplier: str
    sku: str
    lead_time_days: int
    currency: str
    moq: int = 1
    pack: int = 1
    unit_cost: int = 0
    priority: int = 100


@dataclass(frozen=True, kw_only=True)
class SetFactory(Command):
    supplier: str
    daily_capacity: int


@dataclass(frozen=True, kw_only=True)
class OrderLineSpec:
    sku: str
    quantity: int
    unit_cost: int | None = None  # None: the supplier's terms


@dataclass(frozen=True, kw_only=True)
class CreatePurchaseOrder(Command):
    supplier: str
    location: str
    kind: str = "purchase"
    expected_on: date | None = None  # None: today + the longest lead time of its lines
    currency: str | None = None  # None: the supplier's terms
    lines: list[OrderLineSpec] = field(default_factory=list)
    reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderFromSuggestions(Command):
    """Draft orders from replenishment's suggestions, one per supplier, node and kind."""

    service: float = 0.95
    review_days: int = 7
    budget: int | None = None
    send: bool = False


@dataclass(frozen=True, kw_only=True)
class ActOnOrder(Command):
    """send | confirm | accept_change | reject_change | cancel | close."""

    order_id: str
    action: str


@dataclass(frozen=True, kw_only=True)
class ProposeChange(Command):
    order_id: str
    quantities: dict[str, int] = field(default_factory=dict)
    expected_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class AmendPurchaseOrder(Command):
    """The brand changes what it ordered: other quantities of the order's SKUs and/or another expected date (an
    order kept in the brand's ERP, changed there)."""

    order_id: str
    quantities: dict[str, int] = field(default_factory=dict)
    expected_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class AnnounceShipment(Command):
    order_id: str
    expected_on: date
    lines: dict[str, int] = field(default_factory=dict)
    carrier: str | None = None
    tracking_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveAsn(Command):
    """Counted units per SKU at the order's node; None: as announced."""

    asn_id: str
    counted: dict[str, int] | None = None
    reason: str = "supplier delivery"


@dataclass(frozen=True, kw_only=True)
class ResolveDiscrepancy(Command):
    discrepancy_id: str
    resolution: str


@dataclass(frozen=True, kw_only=True)
class OrdersFromSuggestions(Result):
    """What OrderFromSuggestions answers: the orders drafted (or sent), and the suggestions no order carries."""

    orders: list[OrderOut]
    unsourced: list[dict[str, Any]]  # replenishment's suggestions for SKUs no supplier has terms for
    transfers: list[dict[str, Any]]  # its moves between nodes: transfers, not orders

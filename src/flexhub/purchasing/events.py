"""Purchasing events. Each names the supplier partner, so a supplier's webhook endpoint gets its own only."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderSent(Event):
    """A new order for the supplier: what, how many, where to and by when."""

    order_id: str
    partner_id: str
    kind: str
    location: str
    expected_on: str
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderChanged(Event):
    """The supplier offers other quantities or another date; the brand accepts or rejects."""

    order_id: str
    partner_id: str
    proposed_on: str | None
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderAmended(Event):
    """The brand changed the quantities or the date of an order it had made."""

    order_id: str
    partner_id: str
    expected_on: str
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderStateChanged(Event):
    order_id: str
    partner_id: str
    action: str
    state: str


@dataclass(frozen=True, kw_only=True)
class AsnAnnounced(Event):
    asn_id: str
    order_id: str
    partner_id: str
    expected_on: str
    carrier: str | None
    tracking_number: str | None
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class GoodsReceived(Event):
    asn_id: str
    order_id: str
    partner_id: str
    location: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    discrepancies: int = 0


@dataclass(frozen=True, kw_only=True)
class DiscrepancyRaised(Event):
    discrepancy_id: str
    asn_id: str
    order_id: str
    partner_id: str
    sku: str
    kind: str
    expected: int
    received: int

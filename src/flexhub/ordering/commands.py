"""Ordering commands."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command
from flexhub.ordering.schemas import OrderIn


@dataclass(frozen=True, kw_only=True)
class ImportOrder(Command):
    order: OrderIn
    answer_with_order: bool = False  # the caller answers with the stored order: the writer reads it once per batch


@dataclass(frozen=True, kw_only=True)
class CancelOrder(Command):
    order_id: str
    reason: str = "cancelled"


@dataclass(frozen=True, slots=True)
class OrderCancellation:
    """What CancelOrder answers: the order and its status afterwards."""

    id: str
    status: str


@dataclass(frozen=True, kw_only=True)
class ExpireUnpaidOrders:
    """Cancel unpaid orders whose reservations have expired, releasing their stock (a system job)."""

    limit: int = 500


@dataclass(frozen=True, kw_only=True)
class ReserveBackorders:
    """Give stock that arrived to orders kept as awaiting_stock (a system job)."""

    limit: int = 200


@dataclass(frozen=True, kw_only=True)
class ReleaseOrder(Command):
    """A person releases an order held on import (cleaning, credit): it takes stock now, or waits for it.
    `if_credit_covers`: only when the reseller's credit covers it now (a payment came in); otherwise it stays on
    hold, nothing written, and the answer's status says `on_hold`."""

    order_id: str
    note: str = ""
    if_credit_covers: bool = False


@dataclass(frozen=True, kw_only=True)
class HoldOrder(Command):
    """A person holds an order before it ships (a buyer's call, a doubt): it gives back the stock it held and waits
    on_hold, like an order held on import, until a person releases it (ReleaseOrder) or cancels it."""

    order_id: str
    reason: str = "held by a person"


@dataclass(frozen=True, kw_only=True)
class EditShippingAddress(Command):
    """A person corrects an order's shipping address before it is routed; checked by the address rules."""

    order_id: str
    address: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrderReleased:
    """What ReleaseOrder answers: the order and its status afterwards (reserved or awaiting_stock)."""

    id: str
    status: str

"""One sandbox store: its listings and the figure each shows, its orders, and a log of every call.

A store behaves as a marketplace does: a buyer can order only what a listing shows, and an order
takes its units off the listing at once (the platform's own guard). The hub's stock updates set the
figures; each one is kept with the moment it arrived, so lag and drift can be measured.
"""

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flexhub.integrations.ratelimit import TokenBucket
from flexhub.sandbox.platform import Answer, SandboxPlatform

LOG_LIMIT = 100_000  # entries a store keeps; the oldest go first


@dataclass
class Listing:
    index: int
    sku: str  # the seller's SKU: a flexhub listing's external_sku
    item_id: str | None  # the platform's ids, as a flexhub listing's external_item_id holds them
    location_id: str | None
    quantity: int = 0  # what the store shows now
    price: int = 9900  # minor units

    @property
    def platform_id(self) -> str:
        """The platform's ids of the listing (every platform but the generic one gives them)."""
        if self.item_id is None:
            raise LookupError(f"listing {self.sku} has no item id on this platform")
        return self.item_id


@dataclass(frozen=True, slots=True)
class OrderLine:
    listing: Listing
    quantity: int


@dataclass
class Order:
    number: int
    external_id: str
    lines: tuple[OrderLine, ...]
    placed_at: datetime
    updated_at: datetime
    status: str = "paid"
    shipments: list[dict[str, Any]] = field(default_factory=list)  # as the hub told them: carrier, tracking number


@dataclass(frozen=True, slots=True)
class FigureSet:
    """A quantity the hub set on a listing, and when it arrived."""

    sku: str
    quantity: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Entry:
    """One call received (or webhook sent, `outbound`), as the log keeps it."""

    at: datetime
    method: str
    path: str
    operation: str | None
    status: int
    figures: dict[str, int] = field(default_factory=dict)
    outbound: bool = False


class Store:
    def __init__(self, platform: SandboxPlatform, code: str, credentials: dict[str, str],
                 listings: list[Listing], *, sells: bool = True) -> None:
        self.platform = platform
        self.code = code
        self.credentials = credentials
        self.listings = {listing.sku: listing for listing in listings}
        self.sells = sells  # whether the buyers shop here
        self.orders: dict[str, Order] = {}
        self.figures: list[FigureSet] = []
        self.log: list[Entry] = []
        self.remembered: dict[str, Answer] = {}  # idempotency keys → the first answer
        self.feeds: dict[str, dict[str, Any]] = {}  # bulk documents and feeds a platform keeps (Amazon's Feeds API)
        self.refunds: dict[str, dict[str, Any]] = {}  # refund (after-sale) cases buyers opened, by the platform's id
        self.buckets = {name: TokenBucket(limit) for name, limit in platform.limits.items()}
        self.throttled = 0
        self.refused = 0  # orders turned away because a listing showed too little
        self.lock = threading.RLock()

    @property
    def name(self) -> str:
        return f"{self.platform.name}/{self.code}"

    def listing(self, sku: str | None) -> Listing | None:
        return None if sku is None else self.listings.get(sku)

    def listing_by_item(self, item_id: str, location_id: str | None = None) -> Listing | None:
        return next((listing for listing in self.listings.values() if listing.item_id == item_id
                     and (location_id is None or listing.location_id in (None, location_id))), None)

    def show(self, sku: str, quantity: int, at: datetime) -> None:
        with self.lock:
            self.listings[sku].quantity = quantity
            self.figures.append(FigureSet(sku, quantity, at))

    def sell(self, number: int, external_id: str, wanted: dict[str, int], at: datetime) -> Order | None:
        """Take the units off the listings and keep the order, or None if a listing shows too little."""
        with self.lock:
            if any(self.listings[sku].quantity < quantity for sku, quantity in wanted.items()):
                self.refused += 1
                return None
            for sku, quantity in wanted.items():
                self.listings[sku].quantity -= quantity
            order = Order(number, external_id, tuple(OrderLine(self.listings[sku], q) for sku, q in wanted.items()),
                          at, at)
            self.orders[external_id] = order
            return order

    def orders_between(self, since: datetime | None, until: datetime | None) -> list[Order]:
        """Orders last updated in [since, until), oldest first."""
        with self.lock:
            chosen = [o for o in self.orders.values()
                      if (since is None or o.updated_at >= since) and (until is None or o.updated_at < until)]
        return sorted(chosen, key=lambda o: (o.updated_at, o.number))

    def record(self, entry: Entry) -> None:
        with self.lock:
            self.log.append(entry)
            if len(self.log) > LOG_LIMIT:
                del self.log[: len(self.log) - LOG_LIMIT]

    def view(self) -> dict[str, Any]:
        with self.lock:
            return {
                "platform": self.platform.name, "code": self.code, "credentials": self.credentials,
                "pushes_orders": self.platform.pushes_orders, "sells": self.sells,
                "listings": [{"sku": x.sku, "item_id": x.item_id, "location_id": x.location_id,
                              "quantity": x.quantity} for x in self.listings.values()],
                "orders": len(self.orders), "figures_received": len(self.figures), "throttled": self.throttled,
                "refused_orders": self.refused, "calls": len(self.log),
            }

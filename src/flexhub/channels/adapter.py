"""The adapter protocol every platform module implements, and the plain data it speaks.

An adapter is pure: it parses the platform's wire format into `ChannelOrder`s, checks and makes
signatures, and *builds* HTTP requests (`ApiRequest`) without sending them. Sending, pacing,
retrying and storing belong to the sync and intake workers, so every adapter is testable against
saved payloads alone. Adapters are found through the `flexhub.channels` entry point group. Headers handed to an adapter
are a case-insensitive mapping.

Reconciliation reads stock back through two more methods every adapter has: `stock_read_requests`
(the platform's own stock-read calls for some listings, each with the listings it reads) and
`parse_stock` (the figure the platform holds per listing, by external SKU). An adapter whose stock API
takes only a difference says `stock_by_difference = True`: the pusher reads the figure before a push.
What only some platforms do (fetch what a push names, carry returns, seal or time-stamp pushes, refuse in a 200's
body) is an optional capability the adapter declares in `capabilities` (capabilities.py).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest

# What a platform's order status means to us. Platforms have many more; each adapter maps its own.
CHANNEL_STATUSES = ("unpaid", "paid", "shipped", "delivered", "cancelled", "refunded")


@dataclass(frozen=True, slots=True)
class ChannelLine:
    external_sku: str  # the platform's SKU id or seller SKU, matched against the channel's listings
    quantity: int
    unit_price: int  # minor units
    discount: int = 0  # minor units for the whole line
    external_item_id: str | None = None
    external_line_id: str | None = None
    title: str | None = None
    presale: bool = False  # this line ships later (a presale item in an order otherwise in stock)


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    """One platform order in canonical terms, still keyed by the platform's SKU ids."""

    external_id: str
    status: str  # one of CHANNEL_STATUSES
    platform_status: str  # as the platform said it, for people and the raw view
    currency: str
    lines: tuple[ChannelLine, ...]
    buyer: dict[str, Any]
    shipping_address: dict[str, Any]
    shipping_fee: int = 0
    order_discount: int = 0
    placed_at: datetime | None = None
    updated_at: datetime | None = None
    presale: bool = False
    live_room: str | None = None
    streamer: str | None = None
    vip: bool = False  # the platform marks the buyer a VIP: routed first
    # The order's payment state where the platform says it more finely than its status (the generic platform's
    # partially_refunded); None: the status's (mapping.PAYMENT_STATES).
    payment_state: str | None = None
    # Its adapter validated it as flexhub's own order (the generic platform's body is OrderIn): the mapping builds
    # the OrderIn from these fields without validating the order a second time.
    validated: bool = False


@dataclass(frozen=True, slots=True)
class OrderReference:
    """A notification that names an order without carrying it (Amazon ORDER_CHANGE, Douyin push)."""

    external_id: str
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChannelReturn:
    """A buyer's return or refund request on the platform, still keyed by the platform's SKU ids.

    Adapters whose platform pushes them declare the `return_requests` capability (`parse_returns(headers, body)`,
    the requests a verified webhook carries); the hub opens an RMA for each, once per (channel, external_id)."""

    external_id: str  # the platform's return or refund id
    order_external_id: str
    lines: tuple[tuple[str, int], ...]  # (external SKU, units coming back); empty: a refund without goods back
    reason: str | None = None
    requested_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReturnReference:
    """A push that names an after-sale case without carrying it (Douyin, Kuaishou, Taobao refund messages).

    `parse_returns` answers it; an adapter with the `return_details` capability then builds the case's detail
    calls, splits an answer and reads each case → ChannelReturn (no lines for a refund without goods back)."""

    external_id: str


@dataclass(frozen=True, slots=True)
class StockPush:
    """The figure one listing should show now."""

    external_sku: str
    quantity: int
    external_item_id: str | None = None
    location_id: str | None = None  # the platform's own location, where it has them (Shopify)
    previous_quantity: int | None = None  # what we last pushed, for compare-and-set APIs
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class ListingRef:
    """A listing as the platform knows it: what a stock read asks about."""

    external_sku: str
    external_item_id: str | None = None
    location_id: str | None = None


@dataclass(frozen=True, slots=True)
class StockRead:
    """One stock-read call and the listings its answer covers."""

    request: ApiRequest
    listings: tuple[ListingRef, ...]


@dataclass(frozen=True, slots=True)
class ListingResult:
    """What a bulk stock document (a feed) did to one listing: taken, or refused with the platform's reasons."""

    sku: str
    accepted: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedProgress:
    """Where a submitted feed stands: still processing, finished with a result document, or failed as a whole."""

    finished: bool
    result_document_id: str | None = None
    failure: str | None = None  # the whole feed was not processed (cancelled, fatal): why


@dataclass(frozen=True, slots=True)
class ShipmentNotice:
    external_id: str
    carrier: str
    tracking_number: str
    lines: tuple[tuple[str, int], ...] = ()  # (external_line_id or external_sku, quantity); empty: all
    shipped_at: datetime | None = None
    # The parcel carries every line of the order in full (its lines still listed, as WeChat, eBay and Amazon want
    # them): a platform that ships only whole orders (JD, Shopee) can take it.
    whole: bool = False


@dataclass(frozen=True, slots=True)
class OrdersPage:
    orders: tuple[Mapping[str, Any], ...]
    next_cursor: str | None


@runtime_checkable
class ChannelAdapter(Protocol):
    platform: ClassVar[str]
    # Names of the settings and secrets a channel must give, as the platform names them, in snake_case.
    credential_fields: ClassVar[tuple[str, ...]]
    rate_limit: ClassVar[RateLimit]
    # The optional capabilities it implements, by name (capabilities.CAPABILITIES); the contract test holds them.
    capabilities: ClassVar[frozenset[str]]
    stock_by_difference: ClassVar[bool]  # its stock API takes a difference: the pusher reads the figure first

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        """Raise SignatureInvalid unless the body was signed with this channel's secret."""

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[ChannelOrder | OrderReference]:
        """Orders (or references to fetch) carried by a verified webhook body."""

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        """One order as the platform's order API returns it."""

    def orders_request(
        self, credentials: Mapping[str, str], since: datetime, until: datetime, cursor: str | None
    ) -> ApiRequest:
        """A signed request for one page of orders changed in [since, until)."""

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        """The orders of a page and the cursor of the next, if any (some platforms page by header)."""

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        """Signed requests setting these listings' quantities, batched as the platform allows."""

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """A signed request telling the platform the order shipped, with its tracking number."""

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        """Signed requests reading these listings' stock as the platform holds it, batched as it allows."""

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        """The platform's figure per external SKU from one read's answer; a listing it does not name is
        left out. Raises ValueError when the answer is a refusal."""

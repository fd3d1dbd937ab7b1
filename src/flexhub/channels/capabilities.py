"""What a channel adapter may do beyond the core protocol, each a typed Protocol, and how the hub asks for one.

An adapter names what it implements in `capabilities` (as carriers do); `testing.adapter_contract.check_protocol`
holds the names and the methods together (a declared capability is implemented, an implemented one declared). The
hub asks `capable(adapter, ORDER_DETAILS)` and gets the adapter typed as `OrderDetails`, or None: no probing for
methods by name.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast, runtime_checkable

from flexhub.channels.adapter import (
    ChannelAdapter,
    ChannelOrder,
    ChannelReturn,
    FeedProgress,
    ListingResult,
    ReturnReference,
    ShipmentNotice,
    StockPush,
)
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest

T = TypeVar("T")


@dataclass(frozen=True)  # no slots: a generic dataclass with slots cannot be called as Capability[T](...)
class Capability(Generic[T]):
    """A name an adapter declares, and the Protocol (T, runtime-checkable) it then implements."""

    name: str
    protocol: type


@runtime_checkable
class OrderDetails(Protocol):
    """Orders a push or an order list only names (Douyin, Kuaishou, WeChat, Shopee, Taobao), asked for by id."""

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """Signed calls asking for these orders, batched as the platform allows."""

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """The orders one answer holds, each as `parse_order` reads it; raises when the answer is a refusal."""

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        """One order as the detail call returns it."""


@runtime_checkable
class ReturnRequests(Protocol):
    """Return and refund requests a webhook carries (Shopify, the generic shop) or names (Douyin, Taobao)."""

    def parse_returns(self, headers: Mapping[str, str], body: bytes) -> Sequence[ChannelReturn | ReturnReference]:
        """The requests a verified webhook carries: an empty list for one that carries none."""


@runtime_checkable
class ReturnDetails(Protocol):
    """After-sale cases a push only names (`ReturnReference`), asked for by id (Douyin, Taobao)."""

    def return_detail_requests(self, credentials: Mapping[str, str], case_ids: Sequence[str]) -> list[ApiRequest]:
        """Signed calls asking for these cases."""

    def parse_return_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """The cases one answer holds; raises when the answer is a refusal."""

    def parse_return(self, payload: Mapping[str, Any]) -> ChannelReturn:
        """One case: no lines for a refund without goods back."""


@runtime_checkable
class SealedPushes(Protocol):
    """Pushes that arrive encrypted (Kuaishou, WeChat safe mode): kept as the plain text they carry."""

    def open_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> bytes:
        """The push's plain text; SignatureInvalid when it does not open with this channel's keys."""


@runtime_checkable
class TimedPushes(Protocol):
    """Pushes that sign when they were sent (WeChat): one outside `freshness` of our clock is refused."""

    freshness: ClassVar[timedelta]

    def signed_at(self, headers: Mapping[str, str]) -> datetime | None:
        """When the platform says it sent the push, or None when it cannot be read."""


@runtime_checkable
class NoncedPushes(TimedPushes, Protocol):
    """Timed pushes that also sign a nonce (WeChat): one seen again within `freshness` is a replay."""

    def signed_nonce(self, headers: Mapping[str, str]) -> str | None:
        """The push's signed nonce, or None when it has none."""


@runtime_checkable
class AnswerErrors(Protocol):
    """Platforms that answer HTTP 200 to a failed call (Douyin, Kuaishou, WeChat…) and say so in the body."""

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """What the platform refused, or None when the call was taken."""


@runtime_checkable
class ShipmentLookup(Protocol):
    """Ship calls that name the platform's own records of the order, which the order does not carry (Shopify's
    fulfillment orders): the notifier reads them first and hands the answer to `shipment_request`."""

    def shipment_lookup_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """The signed call reading what the ship call must name."""

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice,
                         looked_up: Mapping[str, Any] | None = None) -> ApiRequest:
        """The ship call, built from the lookup's answer (raises without it)."""


@runtime_checkable
class OrderLimit(Protocol):
    """A platform that counts its order calls (lists, details) apart from its stock calls, per API as TOP, JOS,
    WeChat, Shopee, Douyin and Kuaishou do: those calls get a bucket of their own, so a flash sale's order details
    do not eat the budget its stock pushes need."""

    order_rate_limit: ClassVar[RateLimit]


@runtime_checkable
class StockFeeds(Protocol):
    """Many figures in one uploaded document the platform processes later (Amazon's JSON_LISTINGS_FEED): for a bulk
    refresh too big for the single calls, sent in steps by sync/feeds.py. Urgent figures still go one call each."""

    feed_threshold: ClassVar[int]  # waiting figures (not urgent) from which a feed beats the single calls
    feed_limit: ClassVar[int]  # figures one feed carries
    feed_rate: ClassVar[RateLimit]  # the plan of the call that submits a feed

    def feed_document_request(self, credentials: Mapping[str, str]) -> ApiRequest:
        """Step 1: reserve a document; the answer says where to upload it."""

    def feed_upload_request(self, credentials: Mapping[str, str], reserved: Mapping[str, Any],
                            pushes: Sequence[StockPush]) -> ApiRequest:
        """Step 2: the figures, uploaded where step 1's answer says."""

    def create_feed_request(self, credentials: Mapping[str, str], reserved: Mapping[str, Any]) -> ApiRequest:
        """Step 3: submit the uploaded document for processing."""

    def feed_id(self, answer: Mapping[str, Any]) -> str:
        """The platform's id of the feed step 3 created."""

    def feed_status_request(self, credentials: Mapping[str, str], feed_id: str) -> ApiRequest:
        """Ask where the feed stands."""

    def feed_progress(self, answer: Mapping[str, Any]) -> FeedProgress:
        """The status answer read."""

    def result_document_request(self, credentials: Mapping[str, str], document_id: str) -> ApiRequest:
        """Ask where the finished feed's report can be downloaded."""

    def result_download_request(self, answer: Mapping[str, Any]) -> ApiRequest:
        """Download the report (the answer's url is its own authority)."""

    def feed_report(self, answer: Mapping[str, Any], content: bytes) -> Mapping[str, Any]:
        """The downloaded report, uncompressed as the document answer says, parsed."""

    def feed_results(self, report: Mapping[str, Any], skus: Sequence[str]) -> Mapping[str, ListingResult]:
        """Per SKU sent, what the feed did to it."""


ORDER_DETAILS = Capability[OrderDetails]("order_details", OrderDetails)
RETURN_REQUESTS = Capability[ReturnRequests]("return_requests", ReturnRequests)
RETURN_DETAILS = Capability[ReturnDetails]("return_details", ReturnDetails)
SEALED_PUSHES = Capability[SealedPushes]("sealed_pushes", SealedPushes)
TIMED_PUSHES = Capability[TimedPushes]("timed_pushes", TimedPushes)
NONCED_PUSHES = Capability[NoncedPushes]("nonced_pushes", NoncedPushes)
ANSWER_ERRORS = Capability[AnswerErrors]("answer_errors", AnswerErrors)
SHIPMENT_LOOKUP = Capability[ShipmentLookup]("shipment_lookup", ShipmentLookup)
STOCK_FEEDS = Capability[StockFeeds]("stock_feeds", StockFeeds)
ORDER_LIMIT = Capability[OrderLimit]("order_limit", OrderLimit)
CAPABILITIES: tuple[Capability[Any], ...] = (
    ORDER_DETAILS, RETURN_REQUESTS, RETURN_DETAILS, SEALED_PUSHES, TIMED_PUSHES, NONCED_PUSHES, ANSWER_ERRORS,
    SHIPMENT_LOOKUP, STOCK_FEEDS, ORDER_LIMIT,
)


def capable(adapter: ChannelAdapter, capability: Capability[T]) -> T | None:
    """The adapter as the capability's protocol when it declares it; None when it does not."""
    return cast(T, adapter) if capability.name in adapter.capabilities else None

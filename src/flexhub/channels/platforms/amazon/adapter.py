"""AmazonAdapter: the ChannelAdapter protocol for Amazon SP-API, wiring this package's parts."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from flexhub.channels.adapter import (
    ChannelOrder,
    FeedProgress,
    ListingRef,
    ListingResult,
    OrderReference,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.channels.platforms.amazon import calls, feeds, listings, notifications, orders, shipments
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest


class AmazonAdapter:
    platform: ClassVar[str] = "amazon"
    # LWA app keys and the seller's refresh token; the worker adds access_token (refreshed hourly).
    # Optional: notification_secret (the relay's HMAC key), base_url (EU/FE host or a sandbox), token_url.
    credential_fields: ClassVar[tuple[str, ...]] = (
        "refresh_token", "client_id", "client_secret", "seller_id", "marketplace_id")
    # The stock push call, patchListingsItem; the other calls' plans are in calls.OPERATION_LIMITS.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=5, burst=5, stock_batch=1)
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer_errors", "stock_feeds"})
    # A bulk refresh goes as a JSON_LISTINGS_FEED (feeds.py); urgent figures as patches.
    feed_threshold: ClassVar[int] = feeds.FEED_THRESHOLD
    feed_limit: ClassVar[int] = feeds.FEED_LIMIT
    feed_rate: ClassVar[RateLimit] = feeds.CREATE_FEED
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        notifications.verify(credentials, headers, body)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        return notifications.order_references(body)

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        return orders.parse(payload)

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        return orders.search_request(credentials, since, until, cursor)

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        return orders.page(payload)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [listings.patch_request(credentials, push) for push in pushes]

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        return shipments.confirm_request(credentials, notice)

    def stock_read_requests(self, credentials: Mapping[str, str], refs: Sequence[ListingRef]) -> list[StockRead]:
        return listings.read_requests(credentials, refs)  # searchListingsItems: 20 SKUs a call

    def parse_stock(self, payload: Any, refs: Sequence[ListingRef]) -> dict[str, int]:
        return listings.read_quantity(payload, refs)

    # Beyond the protocol, for the workers that need them.
    access_token_request = staticmethod(calls.access_token_request)
    order_request = staticmethod(orders.order_request)
    listing_quantity = staticmethod(notifications.listing_quantity)
    patch_errors = staticmethod(listings.patch_errors)

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """What the stock pusher reads: a 200 that still says INVALID is a refusal."""
        return "; ".join(listings.patch_errors(payload)) or None

    def feed_document_request(self, credentials: Mapping[str, str]) -> ApiRequest:
        return feeds.feed_document_request(credentials)

    def feed_upload_request(self, credentials: Mapping[str, str], reserved: Mapping[str, Any],
                            pushes: Sequence[StockPush]) -> ApiRequest:
        return feeds.feed_upload_request(reserved["url"], feeds.feed_document(credentials["seller_id"], pushes))

    def create_feed_request(self, credentials: Mapping[str, str], reserved: Mapping[str, Any]) -> ApiRequest:
        return feeds.create_feed_request(credentials, reserved["feedDocumentId"])

    def feed_id(self, answer: Mapping[str, Any]) -> str:
        return str(answer["feedId"])

    def feed_status_request(self, credentials: Mapping[str, str], feed_id: str) -> ApiRequest:
        return feeds.feed_status_request(credentials, feed_id)

    def feed_progress(self, answer: Mapping[str, Any]) -> FeedProgress:
        return feeds.feed_progress(answer)

    def result_document_request(self, credentials: Mapping[str, str], document_id: str) -> ApiRequest:
        return feeds.result_document_request(credentials, document_id)

    def result_download_request(self, answer: Mapping[str, Any]) -> ApiRequest:
        return feeds.result_download_request(answer)

    def feed_report(self, answer: Mapping[str, Any], content: bytes) -> Mapping[str, Any]:
        return feeds.feed_report(answer, content)

    def feed_results(self, report: Mapping[str, Any], skus: Sequence[str]) -> Mapping[str, ListingResult]:
        return feeds.feed_results(report, skus)

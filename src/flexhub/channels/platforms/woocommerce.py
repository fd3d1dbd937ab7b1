"""`woocommerce`: a WooCommerce store through its REST API v3 (/wp-json/wc/v3), the store's own host.

Auth: HTTPS basic auth with the REST key's consumer_key:consumer_secret.
Webhook: order.* topics carry the v3 order, signed `X-WC-Webhook-Signature` = base64 HMAC-SHA256 of the
raw body with the webhook's secret (`webhook_secret`); a body without line items (order.deleted) is an
`OrderReference`.
Orders poll: GET /orders?modified_after&modified_before&dates_are_gmt=true&orderby=id&order=asc&per_page=100
&page=N (modified_* need WooCommerce 5.8+); the cursor is the page of the Link header's rel="next",
which WordPress sends while pages remain (X-WP-TotalPages).
Stock: POST /products/batch, and /products/<parent>/variations/batch for variations, {"update": [{id,
manage_stock, stock_quantity}]}, 100 objects a call (the documented default batch limit). A listing's
`external_item_id` is "<product_id>" or "<product_id>:<variation_id>", as `parse_order` writes it.
WooCommerce has no compare-and-set and no idempotency key; setting an absolute quantity is idempotent.
Stock read (reconciliation): GET /products?include=<ids>&per_page=100, and /products/<parent>/variations
?include=<ids> for variations; each object's `stock_quantity` (null when the shop does not manage stock).
Shipment: core WooCommerce has no tracking API. `shipment_request` sets the order "completed" and keeps
carrier and tracking number in its meta_data; `shipment_note_request` adds them as a customer note
(emailed to the buyer). Partial shipments cannot be expressed: the first one completes the order.
Rate limit: none documented for wc/v3 (self-hosted; only the Store API has an optional limiter), so we
stay gentle on a shop's PHP workers: 5 calls/s, 10 at once.
"""

import base64
import html
import json
import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from httpx2 import URL, Response

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ListingRef,
    OrderReference,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_base64, same
from flexhub.kernel.clock import as_utc
from flexhub.kernel.errors import ValidationFailed, error_class
from flexhub.kernel.money import to_minor

SIGNATURE_HEADER = "x-wc-webhook-signature"
API = "/wp-json/wc/v3"
PAGE_SIZE = 100
BATCH_LIMIT = 100

ListingWithoutItemId = error_class("channels.woocommerce_listing_without_item_id", 422, ValidationFailed)

STATUSES = {"pending": "unpaid", "on-hold": "unpaid", "failed": "unpaid", "checkout-draft": "unpaid",
            "processing": "paid", "completed": "shipped", "cancelled": "cancelled", "refunded": "refunded",
            "trash": "cancelled"}


class WooCommerceAdapter:
    platform: ClassVar[str] = "woocommerce"
    credential_fields: ClassVar[tuple[str, ...]] = ("store_url", "consumer_key", "consumer_secret", "webhook_secret")
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=5, burst=10, stock_batch=BATCH_LIMIT)
    capabilities: ClassVar[frozenset[str]] = frozenset()
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        expected = hmac_sha256_base64(credentials["webhook_secret"], body)
        if not same(expected, headers.get(SIGNATURE_HEADER)):
            raise SignatureInvalid("X-WC-Webhook-Signature does not match the body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[ChannelOrder | OrderReference]:
        payload = json.loads(body)
        if not isinstance(payload, dict) or "id" not in payload:
            return []
        if "line_items" in payload:
            return [self.parse_order(payload)]
        return [OrderReference(str(payload["id"]), _moment(payload.get("date_modified_gmt")))]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        currency = payload["currency"]
        platform_status = payload["status"]
        return ChannelOrder(
            external_id=str(payload["id"]), status=order_status(payload), platform_status=platform_status,
            currency=currency, lines=tuple(_line(item, currency) for item in payload["line_items"]),
            buyer=_buyer(payload), shipping_address=_address(payload.get("shipping") or {}),
            shipping_fee=to_minor(payload.get("shipping_total") or "0", currency),
            placed_at=_moment(payload.get("date_created_gmt")), updated_at=_moment(payload.get("date_modified_gmt")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        # modified_after is exclusive and WordPress keeps whole seconds: one second earlier takes in `since` itself.
        params = {"modified_after": _stamp(_floor(since) - timedelta(seconds=1)), "modified_before": _stamp(until),
                  "dates_are_gmt": "true", "orderby": "id", "order": "asc", "per_page": str(PAGE_SIZE),
                  "page": cursor or "1"}
        return ApiRequest("GET", _url(credentials, "/orders"), headers=_auth(credentials), params=params)

    def parse_orders_page(self, payload: Any, headers: Mapping[str, str]) -> OrdersPage:
        following = Response(200, headers=dict(headers.items())).links.get("next")
        cursor = URL(following["url"]).params.get("page") if following else None
        orders = payload if isinstance(payload, list) else payload.get("orders", [])
        return OrdersPage(tuple(orders), cursor)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for push in pushes:
            product, _, variation = _item_id(push).partition(":")
            path = f"/products/{product}/variations/batch" if variation else "/products/batch"
            groups.setdefault(path, []).append(
                {"id": int(variation or product), "manage_stock": True, "stock_quantity": push.quantity})
        return [self._post(credentials, path, {"update": updates[start:start + BATCH_LIMIT]})
                for path, updates in groups.items() for start in range(0, len(updates), BATCH_LIMIT)]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        groups: dict[str, list[tuple[str, ListingRef]]] = {}
        for ref in listings:
            product, _, variation = _item_id(ref).partition(":")
            path = f"/products/{product}/variations" if variation else "/products"
            groups.setdefault(path, []).append((variation or product, ref))
        return [StockRead(ApiRequest("GET", _url(credentials, path), headers=_auth(credentials), params={
                    "include": ",".join(item for item, _ in batch), "per_page": str(PAGE_SIZE)}),
                    tuple(ref for _, ref in batch))
                for path, items in groups.items()
                for batch in (items[start:start + PAGE_SIZE] for start in range(0, len(items), PAGE_SIZE))]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if not isinstance(payload, list):
            raise ValueError(f"woocommerce: {payload.get('code')}: {payload.get('message')}")
        sku_of = {_item_id(ref).rpartition(":")[2]: ref.external_sku for ref in listings}
        return {sku_of[str(item["id"])]: int(item["stock_quantity"]) for item in payload
                if str(item.get("id")) in sku_of and item.get("stock_quantity") is not None}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        document = {"status": "completed", "meta_data": [
            {"key": "flexhub_carrier", "value": notice.carrier},
            {"key": "flexhub_tracking_number", "value": notice.tracking_number}]}
        return ApiRequest("PUT", _url(credentials, f"/orders/{notice.external_id}"),
                          headers={**_auth(credentials), "Content-Type": "application/json"}, json=document)

    def shipment_note_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """The tracking number for the buyer: a customer note, which WooCommerce emails to them."""
        note = f"Shipped with {notice.carrier}, tracking number {notice.tracking_number}."
        return self._post(credentials, f"/orders/{notice.external_id}/notes", {"note": note, "customer_note": True})

    def _post(self, credentials: Mapping[str, str], path: str, document: Any) -> ApiRequest:
        return ApiRequest("POST", _url(credentials, path),
                          headers={**_auth(credentials), "Content-Type": "application/json"}, json=document)


def order_status(order: Mapping[str, Any]) -> str:
    """Statuses a plugin adds (e.g. "shipped") fall back on whether the order was paid."""
    known = STATUSES.get(order["status"])
    return known or ("paid" if order.get("date_paid_gmt") else "unpaid")


def item_id(product_id: Any, variation_id: Any) -> str:
    """How a WooCommerce listing is named: "<product_id>", or "<product_id>:<variation_id>" for a variation."""
    return f"{product_id}:{variation_id}" if variation_id else str(product_id)


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    quantity = int(item["quantity"])
    listing = item_id(item["product_id"], item.get("variation_id"))
    # subtotal is before discounts, total after (both without tax): the unit price is rounded up so the
    # line's discount stays >= 0 and quantity * unit - discount is exactly the line total.
    unit_price = math.ceil(to_minor(item["subtotal"], currency) / quantity)
    return ChannelLine(
        external_sku=item.get("sku") or listing, quantity=quantity, unit_price=unit_price,
        discount=unit_price * quantity - to_minor(item["total"], currency), external_item_id=listing,
        external_line_id=str(item["id"]), title=html.unescape(item.get("name") or "") or None,
    )


def _buyer(order: Mapping[str, Any]) -> dict[str, Any]:
    shipping, billing = order.get("shipping") or {}, order.get("billing") or {}
    person = shipping if shipping.get("first_name") or shipping.get("last_name") else billing
    name = " ".join(p for p in (person.get("first_name"), person.get("last_name")) if p)
    return {"name": name or None, "phone": shipping.get("phone") or billing.get("phone") or None,
            "email": billing.get("email") or None,
            "external_id": str(order["customer_id"]) if order.get("customer_id") else None}


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "country": address.get("country") or None, "province": address.get("state") or None,
        "city": address.get("city") or None, "district": None, "line1": address.get("address_1") or None,
        "line2": address.get("address_2") or None, "postal_code": address.get("postcode") or None,
    }


def _item_id(push: StockPush | ListingRef) -> str:
    if not push.external_item_id:
        raise ListingWithoutItemId(f"{push.external_sku}: WooCommerce stock is set by product (and variation) id")
    return push.external_item_id


def _url(credentials: Mapping[str, str], path: str) -> str:
    base = (credentials.get("base_url") or credentials["store_url"]).rstrip("/")
    return f"{base}{API}{path}"


def _auth(credentials: Mapping[str, str]) -> dict[str, str]:
    pair = f"{credentials['consumer_key']}:{credentials['consumer_secret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode(), "Accept": "application/json"}


def _moment(value: str | None) -> datetime | None:
    # The *_gmt fields are UTC without an offset; as_utc reads naive times as UTC.
    return as_utc(datetime.fromisoformat(value)) if value else None


def _floor(moment: datetime) -> datetime:
    return as_utc(moment).replace(microsecond=0)


def _stamp(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S")

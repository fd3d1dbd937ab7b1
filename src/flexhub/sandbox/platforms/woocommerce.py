"""`woocommerce`: a WooCommerce shop's REST API v3 (/wp-json/wc/v3) as flexhub's adapter calls it.

Auth: basic auth with the REST key's consumer_key:consumer_secret (or the same as query parameters);
anything else is 401 woocommerce_rest_authentication_error. (A real shop takes basic auth over HTTPS
only and wants OAuth 1.0a over plain HTTP; the sandbox on 127.0.0.1 takes basic auth.)
Stock: POST /products/batch and /products/<id>/variations/batch with {"update": [{id, manage_stock,
stock_quantity}]}, 100 objects at most (413 beyond); an unknown id gets an error entry of its own.
Stock read: GET /products?include=<ids> and /products/<id>/variations?include=<ids>, each object's
stock_quantity. Orders go to the hub as `order.created` webhooks signed `X-WC-Webhook-Signature` (base64 HMAC-SHA256
of the body with the webhook's secret), and are listed on GET /orders by modification time.
Rate: WooCommerce documents none (each shop is its own server); the sandbox gives a small shop's
PHP workers 25 calls/s, 50 at once, and answers 429 beyond.
"""

import base64
import json
import re
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_base64, same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.woocommerce_orders import document, orders_page
from flexhub.sandbox.store import Order, Store

API = "/wp-json/wc/v3"
BATCH = re.compile(rf"^{API}/products(?:/(\d+)/variations)?/batch$")
LIST = re.compile(rf"^{API}/products(?:/(\d+)/variations)?$")
BATCH_LIMIT = 100


class WooCommerce(OneTokenACall):
    name: ClassVar[str] = "woocommerce"
    currency: ClassVar[str] = "USD"
    pushes_orders: ClassVar[bool] = True
    limits: ClassVar[dict[str, RateLimit]] = {"rest": RateLimit(per_second=25, burst=50)}

    def operation(self, request: Received) -> str | None:
        method, path = request.method, request.path
        if method == "GET" and LIST.match(path):
            return "rest"
        if (method == "POST" and BATCH.match(path)) or (method == "GET" and path == f"{API}/orders"):
            return "rest"
        return None

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, {"code": "woocommerce_rest_too_many_requests", "message": "Too many requests.",
                            "data": {"status": 429}})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        if not _authenticated(store, request):
            raise Refused(Answer(401, {"code": "woocommerce_rest_authentication_error",
                                       "message": "Consumer secret is invalid.", "data": {"status": 401}}))
        if request.method == "GET" and LIST.match(request.path):
            return _products(store, request.matched(LIST)[1], request.query.get("include") or "")
        if request.method == "GET":
            return orders_page(store, request)
        updates = (request.json() or {}).get("update") or []
        if len(updates) > BATCH_LIMIT:
            raise Refused(Answer(413, {"code": "woocommerce_rest_request_entity_too_large",
                                       "message": f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                                       "data": {"status": 413}}))
        parent = request.matched(BATCH)[1]
        answered, figures = [], {}
        for update in updates:
            item_id = f"{parent}:{update.get('id')}" if parent else str(update.get("id"))
            listing = store.listing_by_item(item_id)
            if listing is None or "stock_quantity" not in update:
                answered.append({"id": update.get("id"), "error": {
                    "code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.", "data": {"status": 400}}})
                continue
            figures[listing.sku] = int(update["stock_quantity"])
            answered.append({"id": update["id"], "sku": listing.sku, "manage_stock": True,
                             "stock_quantity": figures[listing.sku], "stock_status": _status(figures[listing.sku])})
        return Answer(200, {"update": answered}, figures=figures)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"store_url": base_url, "consumer_key": buyer.new_secret("ck_", 20),
                "consumer_secret": buyer.new_secret("cs_", 20), "webhook_secret": buyer.new_secret(),
                "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        # Every other listing is a variation of a variable product, so both batch paths are used.
        return (f"{700 + index}:{900 + index}" if index % 2 else str(800 + index)), None

    def order_id(self, number: int) -> str:
        return str(727 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(store, order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        body = json.dumps(document(store, order), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-WC-Webhook-Topic": "order.created",
                   "X-WC-Webhook-Resource": "order", "X-WC-Webhook-Event": "created", "X-WC-Webhook-ID": "31",
                   "X-WC-Webhook-Delivery-ID": str(order.number), "X-WC-Webhook-Source": store.credentials["store_url"],
                   "X-WC-Webhook-Signature": hmac_sha256_base64(store.credentials["webhook_secret"], body)}
        return Webhook(f"/webhooks/woocommerce/{store.code}", headers, body)


def _products(store: Store, parent: str | None, include: str) -> Answer:
    found = []
    for item in (part for part in include.split(",") if part):
        listing = store.listing_by_item(f"{parent}:{item}" if parent else item)
        if listing is not None:
            found.append({"id": int(item), "sku": listing.sku, "manage_stock": True,
                          "stock_quantity": listing.quantity, "stock_status": _status(listing.quantity)})
    return Answer(200, found)


def _authenticated(store: Store, request: Received) -> bool:
    expected = f"{store.credentials['consumer_key']}:{store.credentials['consumer_secret']}"
    given = request.headers.get("authorization") or ""
    if given.startswith("Basic "):
        try:
            return same(expected, base64.b64decode(given[6:]).decode())
        except (ValueError, UnicodeDecodeError):
            return False
    return same(expected, f"{request.query.get('consumer_key')}:{request.query.get('consumer_secret')}")


def _status(quantity: int) -> str:
    return "instock" if quantity > 0 else "outofstock"


PLATFORM = WooCommerce()

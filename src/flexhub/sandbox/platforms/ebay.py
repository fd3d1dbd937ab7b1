"""`ebay`: an eBay seller on the Sell APIs, as flexhub.channels.platforms.ebay calls them.

Auth: the seller's OAuth user token as `Authorization: Bearer`; another is 401 (errorId 1001).
Stock: POST /sell/inventory/v1/bulk_update_price_quantity {"requests": [{sku, shipToLocationAvailability:
{quantity}}]}, 25 at most; the answer lists a statusCode per SKU (an unknown SKU is 404 with errors of
its own, the rest still set). POST /sell/inventory/v1/bulk_get_inventory_item {"requests": [{sku}]}
reads them back (25 at most). Orders are polled: GET /sell/fulfillment/v1/order?filter=
lastmodifieddate:[from..to]&limit&offset (ebay_orders); the Notification API's pushes go to a
verified endpoint with an ECDSA signature this sandbox does not issue.
Rate: eBay publishes daily call quotas per API, not a per-second rate; the sandbox allows 5 calls/s
(10 at once) for inventory and as much again for fulfillment calls, and answers past it 429 with
errorId 2001 "Too many requests" and a Retry-After.
"""

import re
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.ebay_orders import document, orders_page
from flexhub.sandbox.store import Order, Store

UPDATE = "/sell/inventory/v1/bulk_update_price_quantity"
READ = "/sell/inventory/v1/bulk_get_inventory_item"
ORDERS = "/sell/fulfillment/v1/order"
OPERATIONS = {("POST", UPDATE): "inventory", ("POST", READ): "inventory", ("GET", ORDERS): "fulfillment"}
MAX_REQUESTS = 25
SKU = re.compile(r"^[\w.\-]{1,50}$")


class Ebay(OneTokenACall):
    name: ClassVar[str] = "ebay"
    currency: ClassVar[str] = "USD"
    pushes_orders: ClassVar[bool] = False
    limits: ClassVar[dict[str, RateLimit]] = {"inventory": RateLimit(per_second=5, burst=10),
                                              "fulfillment": RateLimit(per_second=5, burst=10)}

    def operation(self, request: Received) -> str | None:
        return OPERATIONS.get((request.method, request.path))

    def throttled(self, operation: str, retry_after: float) -> Answer:
        answer = error(429, 2001, "Too many requests. The request limit has been reached for the resource.")
        return Answer(429, answer.body, {"Retry-After": str(max(1, round(retry_after)))})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        if not same(f"Bearer {store.credentials['access_token']}", request.headers.get("authorization")):
            raise Refused(error(401, 1001, "Invalid access token"))
        if operation == "fulfillment":
            return orders_page(store, request, error)
        requests = (request.json() or {}).get("requests")
        if not isinstance(requests, list) or not 0 < len(requests) <= MAX_REQUESTS:
            raise Refused(error(400, 25709, f"requests holds 1 to {MAX_REQUESTS} entries"))
        return _read(store, requests) if request.path == READ else _update(store, requests)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"client_id": f"FlexHub-{code}-PRD-" + buyer.new_secret(length=4), "client_secret": buyer.new_secret(),
                "refresh_token": buyer.new_secret("v^1.1#i^1#r^1#"), "access_token": buyer.new_secret("v^1.1#i^1#p^3#"),
                "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return str(110553512000 + index), None  # the legacy item id; stock goes by seller SKU

    def order_id(self, number: int) -> str:
        return f"{number % 100:02d}-{number:05d}-{(number * 7919) % 100000:05d}"

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(store, order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        raise NotImplementedError("eBay orders are polled here (its notifications are ECDSA-signed by eBay)")


def _update(store: Store, requests: list[dict[str, Any]]) -> Answer:
    responses, figures = [], {}
    for entry in requests:
        sku = entry.get("sku")
        quantity = (entry.get("shipToLocationAvailability") or {}).get("quantity")
        listing = store.listing(sku) if isinstance(sku, str) and SKU.match(sku) else None
        if listing is None or not isinstance(quantity, int) or quantity < 0:
            responses.append({"statusCode": 404 if listing is None else 400, "sku": sku, "errors": [
                {"errorId": 25702, "domain": "API_INVENTORY", "category": "REQUEST",
                 "message": "SKU not found, or shipToLocationAvailability.quantity is not a whole number"}]})
            continue
        figures[listing.sku] = quantity
        responses.append({"statusCode": 200, "sku": listing.sku, "warnings": []})
    return Answer(200, {"responses": responses}, figures=figures)


def _read(store: Store, requests: list[dict[str, Any]]) -> Answer:
    responses = []
    for entry in requests:
        listing = store.listing(entry.get("sku")) if isinstance(entry.get("sku"), str) else None
        if listing is None:
            responses.append({"statusCode": 404, "sku": entry.get("sku"), "errors": [
                {"errorId": 25710, "domain": "API_INVENTORY", "category": "REQUEST", "message": "SKU not found"}]})
            continue
        responses.append({"statusCode": 200, "sku": listing.sku, "inventoryItem": {
            "sku": listing.sku, "condition": "NEW",
            "availability": {"shipToLocationAvailability": {"quantity": listing.quantity}}}})
    return Answer(200, {"responses": responses})


def error(status: int, error_id: int, message: str) -> Answer:
    return Answer(status, {"errors": [{"errorId": error_id, "domain": "API_INVENTORY" if status != 401 else "OAuth",
                                       "category": "REQUEST", "message": message}]})


PLATFORM = Ebay()

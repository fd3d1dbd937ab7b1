"""`amazon`: a seller account on Amazon SP-API, as flexhub.channels.platforms.amazon calls it.

Auth: the Login-with-Amazon access token in `x-amz-access-token` (no SigV4 since October 2023); a
token that is not the seller's current one is 403 Unauthorized. POST /auth/o2/token trades the
refresh token for one, as LWA does. Stock: patchListingsItem, PATCH /listings/2021-08-01/items/
{sellerId}/{sku}?marketplaceIds=…, a JSON-Patch of /attributes/fulfillment_availability
[{fulfillment_channel_code: DEFAULT, quantity}], answered ACCEPTED (or INVALID with ERROR issues);
getListingsItem (GET the same path, includedData=fulfillmentAvailability) reads it back, 5/s (burst 10), and
searchListingsItems (GET /listings/2021-08-01/items/{sellerId}, identifiers=sku,… at most 20, identifiersType=SKU)
reads up to 20 at once, 5/s (burst 5).
Orders: searchOrders (Orders 2026-01-01) by lastUpdatedAfter/Before, which must lie two minutes or
more in the past, and getOrder; Amazon orders reach the hub minutes late, so the buyers of a quick
run shop elsewhere. Rates, the documented default usage plans: patchListingsItem 5/s (burst 5),
searchOrders 0.0056/s (burst 20), getOrder 0.5/s (burst 30); past them 429 QuotaExceeded with
`x-amzn-RateLimit-Limit`, and no Retry-After.
"""

import re
import uuid
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import amazon_feeds, buyer
from flexhub.sandbox.platforms.amazon_feeds import errors
from flexhub.sandbox.platforms.amazon_orders import document, get_order, search_orders
from flexhub.sandbox.store import Order, Store

LISTING = re.compile(r"^/listings/2021-08-01/items/([^/]+)/([^/]+)$")
SELLER_LISTINGS = re.compile(r"^/listings/2021-08-01/items/([^/]+)$")
SEARCH_LIMIT = 20
ORDER = re.compile(r"^/orders/2026-01-01/orders/([^/]+)$")
LIMITS = {"patchListingsItem": RateLimit(per_second=5, burst=5), "getListingsItem": RateLimit(5, 10),
          "searchListingsItems": RateLimit(5, 5),
          "searchOrders": RateLimit(0.0056, 20),
          "getOrder": RateLimit(0.5, 30), "token": RateLimit(per_second=10, burst=10),
          # The Feeds API's default plans; the upload and download go to S3, which counts no SP-API quota.
          "createFeedDocument": RateLimit(0.5, 15), "createFeed": RateLimit(0.0083, 15), "getFeed": RateLimit(2, 15),
          "getFeedDocument": RateLimit(0.0222, 10), "uploadFeedDocument": RateLimit(100, 100),
          "downloadFeedDocument": RateLimit(100, 100)}


class Amazon(OneTokenACall):
    name: ClassVar[str] = "amazon"
    currency: ClassVar[str] = "USD"
    pushes_orders: ClassVar[bool] = False
    limits: ClassVar[dict[str, RateLimit]] = LIMITS

    def operation(self, request: Received) -> str | None:
        method, path = request.method, request.path
        if method == "PATCH" and LISTING.match(path):
            return "patchListingsItem"
        if method == "GET" and LISTING.match(path):
            return "getListingsItem"
        if method == "GET" and SELLER_LISTINGS.match(path):
            return "searchListingsItems"
        if method == "GET" and path == "/orders/2026-01-01/orders":
            return "searchOrders"
        if method == "GET" and ORDER.match(path):
            return "getOrder"
        if (method, path) == ("POST", "/auth/o2/token"):
            return "token"
        return amazon_feeds.operation(method, path)

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, errors("QuotaExceeded", "You exceeded your quota for the requested resource."),
                      {"x-amzn-RateLimit-Limit": str(LIMITS[operation].per_second)})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        if operation == "token":
            return _token(store, request)
        if operation in amazon_feeds.SIGNED:
            return amazon_feeds.handle(store, operation, request, _fed_quantity)
        if not same(store.credentials["access_token"], request.headers.get("x-amz-access-token")):
            raise Refused(Answer(403, errors("Unauthorized", "Access to requested resource is denied.")))
        if operation == "searchOrders":
            return search_orders(store, request)
        if operation == "getOrder":
            return get_order(store, request.matched(ORDER)[1])
        if operation == "searchListingsItems":
            return _search_listings(store, request)
        if amazon_feeds.operation(request.method, request.path):
            return amazon_feeds.handle(store, operation, request, _fed_quantity)
        seller, sku = (unquote(part) for part in request.matched(LISTING).groups())
        if seller != store.credentials["seller_id"] or request.query.get("marketplaceIds") != \
                store.credentials["marketplace_id"]:
            raise Refused(Answer(403, errors("Unauthorized", "Access to requested resource is denied.")))
        listing = store.listing(sku)
        if operation == "getListingsItem":
            return _listing_item(sku, listing)
        quantity = _quantity(request.json() or {})
        if listing is None or quantity is None:
            issue = {"code": "4000001", "severity": "ERROR", "attributeNames": ["fulfillment_availability"],
                     "message": "The SKU is not listed, or the patch sets no DEFAULT quantity."}
            return Answer(200, {"sku": sku, "status": "INVALID", "submissionId": uuid.uuid4().hex, "issues": [issue]})
        return Answer(200, {"sku": sku, "status": "ACCEPTED", "submissionId": uuid.uuid4().hex, "issues": []},
                      figures={sku: quantity})

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"refresh_token": buyer.new_secret("Atzr|"),
                "client_id": buyer.new_secret("amzn1.application-oa2-client."), "client_secret": buyer.new_secret(),
                "seller_id": "A" + buyer.new_secret(length=6).upper(),
                "marketplace_id": "ATVPDKIKX0DER", "access_token": buyer.new_secret("Atza|"), "base_url": base_url,
                "token_url": f"{base_url}/auth/o2/token", "notification_secret": buyer.new_secret()}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return f"B0{8000000 + index:08d}", None  # the ASIN; stock goes by seller SKU

    def order_id(self, number: int) -> str:
        return f"113-{number:07d}-{(number * 7919) % 10 ** 7:07d}"

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(store, order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        raise NotImplementedError("SP-API notifications go to SQS, not to the hub: Amazon orders are polled")


def _listing_item(sku: str, listing: Any) -> Answer:
    if listing is None:
        return Answer(404, errors("NOT_FOUND", f"SKU '{sku}' not found in marketplace ATVPDKIKX0DER"))
    return Answer(200, {"sku": sku, "fulfillmentAvailability": [
        {"fulfillmentChannelCode": "DEFAULT", "quantity": listing.quantity}]})


def _search_listings(store: Store, request: Received) -> Answer:
    query = request.query
    if unquote(request.matched(SELLER_LISTINGS)[1]) != store.credentials["seller_id"] or \
            query.get("marketplaceIds") != store.credentials["marketplace_id"]:
        raise Refused(Answer(403, errors("Unauthorized", "Access to requested resource is denied.")))
    skus = [sku for sku in (query.get("identifiers") or "").split(",") if sku]
    if query.get("identifiersType") != "SKU" or not skus or len(skus) > SEARCH_LIMIT:
        raise Refused(Answer(400, errors("InvalidInput", f"identifiers takes 1 to {SEARCH_LIMIT} SKUs, "
                                                          "with identifiersType=SKU")))
    found = [(sku, store.listing(sku)) for sku in skus]
    items = [{"sku": sku, "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT",
                                                       "quantity": listing.quantity}]}
             for sku, listing in found if listing is not None]
    return Answer(200, {"numberOfResults": len(items), "items": items})


def _quantity(body: dict[str, Any]) -> int | None:
    for patch in body.get("patches") or []:
        if patch.get("op") in ("merge", "replace") and patch.get("path") == "/attributes/fulfillment_availability":
            for value in patch.get("value") or []:
                if value.get("fulfillment_channel_code") == "DEFAULT" and isinstance(value.get("quantity"), int):
                    return value["quantity"]
    return None


def _fed_quantity(store: Store, sku: Any, message: dict[str, Any]) -> int | None:
    """The quantity a feed message sets on a listed SKU; None when it names none or sets none."""
    return _quantity(message) if isinstance(sku, str) and store.listing(sku) is not None else None


def _token(store: Store, request: Received) -> Answer:
    form = dict(parse_qsl(request.body.decode()))
    credentials = store.credentials
    client = (form.get("client_id"), form.get("client_secret"))
    if form.get("grant_type") != "refresh_token" or not same(credentials["refresh_token"], form.get("refresh_token")) \
            or client != (credentials["client_id"], credentials["client_secret"]):
        raise Refused(Answer(400, {"error": "invalid_grant", "error_description": "The request has an invalid grant"}))
    return Answer(200, {"access_token": credentials["access_token"], "token_type": "bearer", "expires_in": 3600,
                        "refresh_token": credentials["refresh_token"]})


PLATFORM = Amazon()

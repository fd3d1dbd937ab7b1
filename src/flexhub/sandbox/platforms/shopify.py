"""`shopify`: a Shopify store's Admin API as flexhub.channels.platforms.shopify calls it.

Auth: `X-Shopify-Access-Token` must be the store's token (401 otherwise). Stock: GraphQL
`inventorySetQuantities` on /admin/api/<version>/graphql.json, the "available" quantities of
inventory items at locations, each compared with `changeFromQuantity` (a figure the store moved since
fails the whole call with CHANGE_FROM_QUANTITY_STALE, answered 200 with userErrors, as Shopify does),
250 at most, and made once per `@idempotent(key:)` (a repeated key answers as the first call did).
Stock read: a GraphQL query of `nodes(ids:)` InventoryItems with `inventoryLevel(locationId:)` and its
"available" quantity (charged here as a mutation is).
Rate: the GraphQL cost bucket of the Standard plan, 100 points/s and 1000 held, a mutation costing
10 however many quantities it sets (shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits: "Standard 100
points/second"; shopify.dev/docs/api/usage/limits: input arrays of at most 250); every answer carries
`extensions.cost` (requested and actual cost, `throttleStatus` with what the bucket holds after the call);
throttled calls get `THROTTLED` (429 here). REST (orders.json, an order's fulfillment_orders.json) has
its own 2/s, 40 held, and answers 429 with `Retry-After: 2.0`. Shipments: GET orders/<id>/fulfillment_orders.json
then GraphQL `fulfillmentCreate` from them (shopify_fulfillment). Orders go to the hub as `orders/create`
webhooks, the REST Order signed `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the body with the app's secret).
"""

import json
import re
import uuid
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_base64
from flexhub.sandbox.platform import Answer, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.shopify_fulfillment import FULFILLMENT_ORDERS, create_fulfillment, fulfillment_orders
from flexhub.sandbox.platforms.shopify_orders import document, orders_page
from flexhub.sandbox.store import Order, Store

ADMIN = re.compile(r"^/admin/api/(\d{4}-\d{2})(/.+)$")
IDEMPOTENT = re.compile(r'@idempotent\(\s*key:\s*"([^"]+)"\s*\)')
GID = re.compile(r"^gid://shopify/(\w+)/(\d+)$")
MUTATION_COST = 10
MAX_QUANTITIES = 250
LOCATION = "655441491"
NAMES = ("available", "on_hand")


class Shopify:
    name: ClassVar[str] = "shopify"
    currency: ClassVar[str] = "USD"
    pushes_orders: ClassVar[bool] = True
    limits: ClassVar[dict[str, RateLimit]] = {"graphql": RateLimit(per_second=100, burst=1000),
                                              "rest": RateLimit(per_second=2, burst=40)}

    def operation(self, request: Received) -> str | None:
        method, path = request.method, request.path
        match = ADMIN.match(path)
        if not match:
            return None
        if method == "POST" and match[2] == "/graphql.json":
            return "graphql"
        rest = match[2] == "/orders.json" or FULFILLMENT_ORDERS.match(match[2])
        return "rest" if method == "GET" and rest else None

    def cost(self, operation: str, request: Received) -> int:
        return MUTATION_COST if operation == "graphql" else 1

    def throttled(self, operation: str, retry_after: float) -> Answer:
        if operation == "rest":
            return Answer(429, {"errors": "Exceeded 2 calls per second for api client. Reduce request rates to "
                                          "resume uninterrupted service."}, {"Retry-After": "2.0"})
        return Answer(429, {"errors": [{"message": "Throttled", "extensions": {
            "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}]})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        if request.headers.get("x-shopify-access-token") != store.credentials["access_token"]:
            raise Refused(Answer(401, {"errors": "[API] Invalid API key or access token (unrecognized login or "
                                                 "wrong password)"}))
        if operation == "rest":
            admin = ADMIN.match(request.path)
            lookup = FULFILLMENT_ORDERS.match(admin[2]) if admin else None
            return fulfillment_orders(store, lookup[1]) if lookup else orders_page(store, request)
        body = request.json() or {}
        query = body.get("query") or ""
        if query.lstrip().startswith("query") and "inventoryLevel" in query:
            return _costed(store, _read_levels(store, body.get("variables") or {}))
        if "fulfillmentCreate" in query:
            return _costed(store, create_fulfillment(store, (body.get("variables") or {}).get("fulfillment") or {}))
        if "inventorySetQuantities" not in query:
            raise Refused(_graphql_error("this sandbox serves inventorySetQuantities, inventory level reads and "
                                         "fulfillmentCreate"))
        key = IDEMPOTENT.search(query)
        if key is None:
            raise Refused(_graphql_error("inventorySetQuantities needs the @idempotent(key:) directive"))
        if key[1] in store.remembered:
            return _costed(store, store.remembered[key[1]])
        answer = _set_quantities(store, (body.get("variables") or {}).get("input") or {})
        store.remembered[key[1]] = Answer(answer.status, answer.body)  # a repeat changes nothing again
        return _costed(store, answer)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"shop_domain": f"{code}.myshopify.com", "access_token": buyer.new_secret("shpat_"),
                "webhook_secret": buyer.new_secret(), "location_id": LOCATION, "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return str(808950810 + index), LOCATION

    def order_id(self, number: int) -> str:
        return str(450789469 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(store, order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        body = json.dumps(document(store, order), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Shopify-Topic": "orders/create",
                   "X-Shopify-Hmac-Sha256": hmac_sha256_base64(store.credentials["webhook_secret"], body),
                   "X-Shopify-Shop-Domain": store.credentials["shop_domain"], "X-Shopify-API-Version": "2026-01",
                   "X-Shopify-Webhook-Id": str(uuid.uuid4()), "X-Shopify-Triggered-At": order.updated_at.isoformat()}
        return Webhook(f"/webhooks/shopify/{store.code}", headers, body)


def _set_quantities(store: Store, document: dict[str, Any]) -> Answer:
    quantities = document.get("quantities") or []
    if document.get("name") not in NAMES or not document.get("reason") or not 0 < len(quantities) <= MAX_QUANTITIES:
        return _user_errors([{"code": "INVALID_INPUT", "field": ["input"],
                              "message": "name, reason and 1 to 250 quantities are required"}])
    errors, figures = [], {}
    for n, item in enumerate(quantities):
        listing = _listing(store, item)
        if listing is None:
            errors.append({"code": "INVALID_INVENTORY_ITEM", "field": ["input", "quantities", str(n)],
                           "message": "The specified inventory item could not be found at this location."})
        elif "changeFromQuantity" not in item:
            errors.append({"code": "INVALID_INPUT", "field": ["input", "quantities", str(n), "changeFromQuantity"],
                           "message": "changeFromQuantity is required (null opts out of the check)."})
        elif item["changeFromQuantity"] is not None and item["changeFromQuantity"] != listing.quantity:
            errors.append({"code": "CHANGE_FROM_QUANTITY_STALE", "field": ["input", "quantities", str(n)],
                           "message": "The quantity changed since changeFromQuantity was read."})
        else:
            figures[listing.sku] = int(item["quantity"])
    if errors:  # the mutation is all or nothing
        return _user_errors(errors)
    group = {"id": f"gid://shopify/InventoryAdjustmentGroup/{uuid.uuid4().int % 10 ** 12}"}
    return Answer(200, {"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": group, "userErrors": []}}},
                  figures=figures)


def _read_levels(store: Store, variables: dict[str, Any]) -> Answer:
    location = GID.match(str(variables.get("location")))
    nodes = []
    for gid in variables.get("ids") or []:
        item = GID.match(str(gid))
        listing = store.listing_by_item(item[2], location[2]) if item and location else None
        level = {"quantities": [{"name": "available", "quantity": listing.quantity}]} if listing else None
        nodes.append({"id": gid, "inventoryLevel": level} if item else None)
    return Answer(200, {"data": {"nodes": nodes}})


def _listing(store: Store, item: dict[str, Any]) -> Any:
    item_id, location = GID.match(str(item.get("inventoryItemId"))), GID.match(str(item.get("locationId")))
    if not item_id or not location or item_id[1] != "InventoryItem" or location[1] != "Location":
        return None
    return store.listing_by_item(item_id[2], location[2])


def _costed(store: Store, answer: Answer) -> Answer:
    """The answer with what the call cost and what the bucket holds after it (`extensions.cost`, as every GraphQL
    Admin answer carries it): a mutation costs the same whether it sets 1 quantity or 250."""
    bucket = store.buckets["graphql"]
    status = {"maximumAvailable": bucket.capacity, "restoreRate": bucket.rate,
              "currentlyAvailable": round(bucket.capacity * (1 - bucket.spent()))}
    cost = {"requestedQueryCost": MUTATION_COST, "actualQueryCost": MUTATION_COST, "throttleStatus": status}
    return Answer(answer.status, {**answer.body, "extensions": {"cost": cost}}, answer.headers, answer.figures)


def _user_errors(errors: list[dict[str, Any]]) -> Answer:
    return Answer(200, {"data": {"inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}}})


def _graphql_error(message: str) -> Answer:
    return Answer(200, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})


PLATFORM = Shopify()

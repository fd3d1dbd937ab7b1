"""`shopify`: a Shopify store through the Admin API (REST orders in; GraphQL stock and fulfillments out).

Webhook: the orders/* topics carry the REST Order (the body of GET orders/<id>.json without its
"order" wrapper), signed `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body with the app's
client secret (`webhook_secret`). Topics that only name an order (refunds/*, fulfillments/*,
orders/delete) become `OrderReference`s; `refunds/create` is also a return request (`parse_returns`): its
refund_line_items restocked as "return" (or "legacy_restock") are the units coming back (a refund without
them opens no RMA).
Orders poll: GET /admin/api/<v>/orders.json?status=any&limit=250&updated_at_min&updated_at_max; later
pages by the `page_info` of the Link header's rel="next" (Shopify refuses the filters beside page_info).
Stock: GraphQL `inventorySetQuantities` (name "available", `changeFromQuantity` = the quantity we last
pushed, so a count Shopify moved since fails as CHANGE_FROM_QUANTITY_STALE instead of being overwritten)
with the `@idempotent(key:)` directive (2026-01; mandatory from 2026-04); 250 quantities a call, the
input-array limit of every Shopify API (shopify.dev/docs/api/usage/limits).
Stock read (reconciliation): GraphQL `nodes(ids:)` of InventoryItems with `inventoryLevel(locationId:)
{ quantities(names: ["available"]) }`, 50 items a query (one location a query), the same GraphQL
bucket as the stock push.
Shipment: fulfillments are made from fulfillment orders, which the order webhook does not carry: first
`shipment_lookup_request` (REST GET orders/<id>/fulfillment_orders.json), then `shipment_request`
with that response builds GraphQL `fulfillmentCreate` (FulfillmentInput.lineItemsByFulfillmentOrder, the
GraphQL form of REST POST fulfillments.json with line_items_by_fulfillment_order, which Shopify calls legacy
since 2024-10) with the tracking number.
Rate limit: the GraphQL Admin API's cost bucket on the Standard plan (100 points/s restored, 1000 held;
shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits) counted in calls at ~10 points a mutation:
10 calls/s, 100 at once. REST calls (the orders poll) have their own bucket of 2/s and 40; the poll
walks pages one after another, well under it.
"""

import json
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from httpx2 import URL, Response

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ChannelReturn,
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
from flexhub.kernel.ids import new_id
from flexhub.kernel.money import to_minor

API_VERSION = "2026-01"  # the first with both changeFromQuantity and @idempotent
HMAC_HEADER = "x-shopify-hmac-sha256"
TOPIC_HEADER = "x-shopify-topic"
# A refund line's restock_type when the goods come back ("legacy_restock": restock=true before restock types).
COMING_BACK = ("return", "legacy_restock")
PAGE_SIZE = 250
QUANTITIES_PER_CALL = 250
ITEMS_PER_READ = 50
KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://flexhub.dev/channels/shopify/stock")

ShipmentUnmatched = error_class("channels.shopify_shipment_unmatched", 422, ValidationFailed)
NoLocation = error_class("channels.shopify_no_location", 422, ValidationFailed)

# financial_status → ours, when neither cancellation, refund nor fulfillment decides it first.
FINANCIAL = {"pending": "unpaid", "authorized": "paid", "partially_paid": "unpaid", "paid": "paid",
             "partially_refunded": "paid", "refunded": "refunded", "voided": "cancelled", "expired": "unpaid"}
# financial_status → the order's payment state where it says more than our status does (ChannelOrder.payment_state):
# a partly refunded order is still a paid one, a refund stays known on an order cancelled or shipped, and an order
# cancelled before it was paid says so (its authorization voided, or no payment yet) where its status says only
# cancelled.
PAYMENT_STATES = {"partially_refunded": "partially_refunded", "refunded": "refunded", "voided": "voided",
                  "pending": "pending", "partially_paid": "pending", "expired": "pending"}

SET_QUANTITIES = """mutation SetAvailable($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: %s) {
    inventoryAdjustmentGroup { id }
    userErrors { code field message }
  }
}"""

READ_AVAILABLE = """query StockLevels($ids: [ID!]!, $location: ID!) {
  nodes(ids: $ids) {
    ... on InventoryItem {
      id
      inventoryLevel(locationId: $location) { quantities(names: ["available"]) { name quantity } }
    }
  }
}"""

CREATE_FULFILLMENT = """mutation Ship($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}"""


class ShopifyAdapter:
    platform: ClassVar[str] = "shopify"
    credential_fields: ClassVar[tuple[str, ...]] = ("shop_domain", "access_token", "webhook_secret")
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=100, stock_batch=QUANTITIES_PER_CALL)
    capabilities: ClassVar[frozenset[str]] = frozenset({"return_requests", "answer_errors", "shipment_lookup"})
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        expected = hmac_sha256_base64(credentials["webhook_secret"], body)
        if not same(expected, headers.get(HMAC_HEADER)):
            raise SignatureInvalid("X-Shopify-Hmac-Sha256 does not match the body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[ChannelOrder | OrderReference]:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            return []
        if "line_items" in payload:
            return [self.parse_order(payload)]
        order_id = payload.get("order_id") or (payload.get("id") if _is_order_topic(headers) else None)
        return [OrderReference(str(order_id), _moment(payload.get("updated_at")))] if order_id else []

    def parse_returns(self, headers: Mapping[str, str], body: bytes) -> list[ChannelReturn]:
        """The refunds/create Refund as a return request: the line items restocked as returned come back."""
        if (headers.get(TOPIC_HEADER) or "") != "refunds/create":
            return []
        refund = json.loads(body)
        back = [(str(item.get("line_item", {}).get("sku") or item.get("line_item_id")), int(item["quantity"]))
                for item in refund.get("refund_line_items") or []
                if item.get("restock_type") in COMING_BACK and int(item.get("quantity") or 0) > 0]
        if not back:
            return []
        return [ChannelReturn(external_id=str(refund["id"]), order_external_id=str(refund["order_id"]),
                              lines=tuple(back), reason=(refund.get("note") or None),
                              requested_at=_moment(refund.get("created_at")))]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        order = payload.get("order", payload)
        currency = order["currency"]
        status, platform_status = order_status(order)
        return ChannelOrder(
            external_id=str(order["id"]), status=status, platform_status=platform_status, currency=currency,
            lines=tuple(_line(item, currency) for item in order["line_items"]),
            buyer=_buyer(order), shipping_address=_address(order.get("shipping_address") or {}),
            shipping_fee=sum(to_minor(s.get("discounted_price") or s["price"], currency)
                             for s in order.get("shipping_lines", []) if not s.get("is_removed")),
            placed_at=_moment(order.get("created_at")), updated_at=_moment(order.get("updated_at")),
            payment_state=PAYMENT_STATES.get(order.get("financial_status") or ""),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        params = {"limit": str(PAGE_SIZE)}
        if cursor:
            params["page_info"] = cursor
        else:
            params |= {"status": "any", "updated_at_min": _stamp(_floor(since)), "updated_at_max": _stamp(_ceil(until))}
        return ApiRequest("GET", _admin(credentials, "/orders.json"), headers=_auth(credentials), params=params)

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        following = Response(200, headers=dict(headers.items())).links.get("next")
        cursor = URL(following["url"]).params.get("page_info") if following else None
        return OrdersPage(tuple(payload.get("orders", [])), cursor)

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [self._set_available(credentials, pushes[start:start + QUANTITIES_PER_CALL])
                for start in range(0, len(pushes), QUANTITIES_PER_CALL)]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        by_location: dict[str, list[ListingRef]] = {}
        for ref in listings:
            location = ref.location_id or credentials.get("location_id")
            if not location or not ref.external_item_id:
                raise NoLocation(f"{ref.external_sku}: Shopify stock needs the inventory item id and a location id")
            by_location.setdefault(location, []).append(ref)
        return [StockRead(_graphql(credentials, READ_AVAILABLE, {
                    "ids": [_gid("InventoryItem", ref.external_item_id) for ref in batch],
                    "location": _gid("Location", location)}), tuple(batch))
                for location, refs in by_location.items()
                for batch in (refs[start:start + ITEMS_PER_READ] for start in range(0, len(refs), ITEMS_PER_READ))]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if error := self.response_error(payload):
            raise ValueError(error)
        sku_of = {_gid("InventoryItem", ref.external_item_id): ref.external_sku for ref in listings}
        figures = {}
        for node in (payload.get("data") or {}).get("nodes") or []:
            level = (node or {}).get("inventoryLevel")
            available = [q["quantity"] for q in (level or {}).get("quantities", []) if q.get("name") == "available"]
            if node.get("id") in sku_of and available:  # no level: the item is not stocked at that location
                figures[sku_of[node["id"]]] = int(available[0])
        return figures

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """GraphQL answers 200 to a refused call: top-level `errors`, or the mutation's `userErrors`
        (CHANGE_FROM_QUANTITY_STALE when the store moved the count since our last push)."""
        if payload.get("errors"):
            return f"shopify errors: {payload['errors']}"
        results = [r for r in (payload.get("data") or {}).values() if isinstance(r, dict)]
        problems = [f"{e.get('code')}: {e.get('message')}" for r in results for e in r.get("userErrors") or []]
        return "shopify " + "; ".join(problems) if problems else None

    def shipment_lookup_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        """Step one of a shipment: the order's fulfillment orders, whose ids fulfillmentCreate needs."""
        return ApiRequest("GET", _admin(credentials, f"/orders/{notice.external_id}/fulfillment_orders.json"),
                          headers=_auth(credentials))

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice,
                         looked_up: Mapping[str, Any] | None = None) -> ApiRequest:
        """Step two: `looked_up` is the body step one got back. Lines are named by external_line_id."""
        if looked_up is None:
            raise ShipmentUnmatched("a Shopify shipment needs the order's fulfillment orders: send "
                                    "shipment_lookup_request first and pass its response")
        fulfillment_orders = looked_up
        fulfillment = {
            "lineItemsByFulfillmentOrder": _by_fulfillment_order(notice, fulfillment_orders),
            "notifyCustomer": True,
            "trackingInfo": {"company": notice.carrier, "number": notice.tracking_number},
        }
        return _graphql(credentials, CREATE_FULFILLMENT, {"fulfillment": fulfillment})

    def _set_available(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> ApiRequest:
        key = _batch_key(pushes)
        document = {"name": "available", "reason": "correction",
                    "referenceDocumentUri": f"gid://flexhub/StockPush/{key}",
                    "quantities": [_quantity(credentials, push) for push in pushes]}
        return _graphql(credentials, SET_QUANTITIES % json.dumps(key), {"input": document})


def order_status(order: Mapping[str, Any]) -> tuple[str, str]:
    """Ours and Shopify's own ("<financial_status>/<fulfillment_status>", "cancelled:" first when cancelled).

    A cancelled order is cancelled whatever its refund: Shopify's cancel refunds the buyer too (cancelled_at and
    financial_status "refunded"), and read as only refunded its units stayed reserved; the refund is its payment
    state (PAYMENT_STATES)."""
    financial = order.get("financial_status") or "pending"
    fulfillment = order.get("fulfillment_status") or "unfulfilled"
    platform_status = ("cancelled:" if order.get("cancelled_at") else "") + f"{financial}/{fulfillment}"
    if order.get("cancelled_at") or financial == "voided":
        return "cancelled", platform_status
    if financial == "refunded":
        return "refunded", platform_status
    if fulfillment == "fulfilled":
        return ("delivered" if _all_delivered(order) else "shipped"), platform_status
    return FINANCIAL.get(financial, "unpaid"), platform_status


def _all_delivered(order: Mapping[str, Any]) -> bool:
    shipped = [f for f in order.get("fulfillments", []) if f.get("status") == "success"]
    return bool(shipped) and all(f.get("shipment_status") == "delivered" for f in shipped)


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    variant = item.get("variant_id") or item.get("product_id")
    item_id = str(variant) if variant else None
    return ChannelLine(
        # A line without a SKU (custom item) is matched by its variant id, or failing that its line id.
        external_sku=item.get("sku") or item_id or str(item["id"]),
        quantity=int(item["quantity"]),  # as ordered; later refunds (current_quantity) belong to returns
        unit_price=to_minor(item["price"], currency),
        discount=sum(to_minor(a["amount"], currency) for a in item.get("discount_allocations", [])),
        external_item_id=item_id, external_line_id=str(item["id"]), title=item.get("name") or item.get("title"),
    )


def _buyer(order: Mapping[str, Any]) -> dict[str, Any]:
    address = order.get("shipping_address") or order.get("billing_address") or {}
    customer = order.get("customer") or {}
    full_name = " ".join(p for p in (customer.get("first_name"), customer.get("last_name")) if p)
    return {
        "name": address.get("name") or full_name or None,
        "phone": address.get("phone") or order.get("phone") or customer.get("phone"),
        "email": order.get("email") or order.get("contact_email"),
        "external_id": str(customer["id"]) if customer.get("id") else None,
    }


# Shopify's address has no district: a buyer in China writes it at the head of address1 ("西湖区文三路 90 号").
_LEADING_DISTRICT = re.compile(r"^\s*([\u4e00-\u9fff]{1,8}?[区县旗])\s*(\S.*)$")


def _address(address: Mapping[str, Any]) -> dict[str, Any]:
    line1 = address.get("address1") or None
    district = None
    if (address.get("country_code") or "").upper() == "CN" and line1 and (found := _LEADING_DISTRICT.match(line1)):
        district, line1 = found.group(1), found.group(2)
    return {
        "country": address.get("country_code") or None, "province": address.get("province") or None,
        "city": address.get("city") or None, "district": district, "line1": line1,
        "line2": address.get("address2") or None, "postal_code": address.get("zip") or None,
    }


def _quantity(credentials: Mapping[str, str], push: StockPush) -> dict[str, Any]:
    location = push.location_id or credentials.get("location_id")
    if not location or not push.external_item_id:
        raise NoLocation(f"{push.external_sku}: Shopify stock needs the inventory item id and a location id")
    return {"inventoryItemId": _gid("InventoryItem", push.external_item_id), "locationId": _gid("Location", location),
            "quantity": push.quantity, "changeFromQuantity": push.previous_quantity}


def _batch_key(pushes: Sequence[StockPush]) -> str:
    """A retried batch must carry the same key: derived from the pushes' own keys, else a fresh one."""
    keys = [push.idempotency_key for push in pushes if push.idempotency_key]
    if len(keys) < len(pushes):
        return str(new_id())
    return keys[0] if len(keys) == 1 else str(uuid.uuid5(KEY_NAMESPACE, "\n".join(keys)))


def _by_fulfillment_order(notice: ShipmentNotice, body: Mapping[str, Any]) -> list[dict[str, Any]]:
    open_orders = [fo for fo in body.get("fulfillment_orders", []) if fo.get("status") in ("open", "in_progress")]
    chosen: dict[int, list[dict[str, Any]]] = {}
    for line_id, quantity in notice.lines:
        chosen_lines = _take(open_orders, str(line_id), quantity)
        for fo_id, item in chosen_lines:
            chosen.setdefault(fo_id, []).append(item)
    selected = [fo for fo in open_orders if fo["id"] in chosen] if notice.lines else open_orders
    if not selected:
        raise ShipmentUnmatched(f"order {notice.external_id} has no open fulfillment order to ship")
    if len({fo.get("assigned_location_id") for fo in selected}) > 1:
        raise ShipmentUnmatched(f"order {notice.external_id}: one fulfillment must come from one location")
    return [{"fulfillmentOrderId": _gid("FulfillmentOrder", fo["id"]),
             **({"fulfillmentOrderLineItems": chosen[fo["id"]]} if notice.lines else {})} for fo in selected]


def _take(open_orders: list[Mapping[str, Any]], line_id: str, quantity: int) -> list[tuple[int, dict[str, Any]]]:
    """Spread one shipped line over the fulfillable quantities of its fulfillment-order line items."""
    taken, left = [], quantity
    for fo in open_orders:
        for item in fo.get("line_items", []):
            if left and str(item.get("line_item_id")) == line_id and item.get("fulfillable_quantity", 0) > 0:
                count = min(left, item["fulfillable_quantity"])
                taken.append((fo["id"], {"id": _gid("FulfillmentOrderLineItem", item["id"]), "quantity": count}))
                left -= count
    if left:
        raise ShipmentUnmatched(f"line {line_id}: {left} more than its fulfillment orders can still ship")
    return taken


def _is_order_topic(headers: Mapping[str, str]) -> bool:
    return (headers.get(TOPIC_HEADER) or "").startswith("orders/")


def _graphql(credentials: Mapping[str, str], query: str, variables: Mapping[str, Any]) -> ApiRequest:
    return ApiRequest("POST", _admin(credentials, "/graphql.json"),
                      headers={**_auth(credentials), "Content-Type": "application/json"},
                      json={"query": query, "variables": variables})


def _admin(credentials: Mapping[str, str], path: str) -> str:
    base = (credentials.get("base_url") or f"https://{credentials['shop_domain']}").rstrip("/")
    return f"{base}/admin/api/{credentials.get('api_version') or API_VERSION}{path}"


def _auth(credentials: Mapping[str, str]) -> dict[str, str]:
    return {"X-Shopify-Access-Token": credentials["access_token"], "Accept": "application/json"}


def _gid(kind: str, value: Any) -> str:
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/{kind}/{text}"


def _moment(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def _floor(moment: datetime) -> datetime:
    return as_utc(moment).replace(microsecond=0)


def _ceil(moment: datetime) -> datetime:
    # Whole seconds outward: the window may overlap its neighbour (imports are idempotent), never leave a gap.
    moment = as_utc(moment)
    return _floor(moment) + timedelta(seconds=math.ceil(moment.microsecond / 1_000_000))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

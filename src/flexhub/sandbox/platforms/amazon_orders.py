"""Amazon orders as the Orders API v2026-01-01 gives them: searchOrders pages and getOrder."""

from datetime import datetime, timedelta
from typing import Any

from flexhub.kernel import clock
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

SETTLE = timedelta(minutes=2)  # lastUpdatedBefore must lie at least this long before the call
PAGE = 100


def search_orders(store: Store, request: Received) -> Answer:
    query = request.query
    try:
        since = _moment(query["lastUpdatedAfter"])
        until = _moment(query["lastUpdatedBefore"]) if query.get("lastUpdatedBefore") else clock.now() - SETTLE
    except (KeyError, ValueError):
        raise Refused(_invalid("lastUpdatedAfter is required, in ISO 8601")) from None
    if until > clock.now() - SETTLE or query.get("marketplaceIds") != store.credentials["marketplace_id"]:
        raise Refused(_invalid("lastUpdatedBefore must be two minutes or more in the past, for this marketplace"))
    chosen = [o for o in store.orders_between(since, None) if o.updated_at < until]
    start = int(query.get("paginationToken") or 0)
    size = int(query.get("maxResultsPerPage") or PAGE)
    body: dict[str, Any] = {"orders": [document(store, o) for o in chosen[start:start + size]],
                            "lastUpdatedBefore": _stamp(until)}
    if start + size < len(chosen):
        body["pagination"] = {"nextToken": str(start + size)}
    return Answer(200, body)


def get_order(store: Store, order_id: str) -> Answer:
    order = store.orders.get(order_id)
    if order is None:
        return Answer(404, {"errors": [{"code": "NotFound", "message": f"Order {order_id} was not found."}]})
    return Answer(200, {"order": document(store, order)})


def document(store: Store, order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    return {
        "orderId": order.external_id, "createdTime": _stamp(order.placed_at),
        "lastUpdatedTime": _stamp(order.updated_at),
        "programs": [], "salesChannel": {"channelName": "AMAZON", "marketplaceId": store.credentials["marketplace_id"]},
        "buyer": {"buyerName": buyer.NAME, "buyerEmail": "linwei@marketplace.amazon.com"},
        "recipient": {"deliveryAddress": {"name": buyer.NAME, "addressLine1": "410 Terry Ave N", "city": "Seattle",
                                          "stateOrRegion": "WA", "postalCode": "98109", "countryCode": "US",
                                          "phone": "206-555-0100"}},
        "proceeds": {"grandTotal": _money(total), "breakdowns": [{"type": "ITEM", "subtotal": _money(total)}]},
        "fulfillment": {"fulfillmentStatus": "UNSHIPPED", "fulfilledBy": "MERCHANT"},
        "orderItems": [{
            "orderItemId": f"{order.number:07d}{n:07d}", "quantityOrdered": line.quantity,
            "product": {"asin": line.listing.item_id, "sellerSku": line.listing.sku,
                        "title": f"Sandbox item {line.listing.sku}",
                        "price": {"unitPrice": _money(line.listing.price)}},
        } for n, line in enumerate(order.lines)],
    }


def _money(minor: int) -> dict[str, str]:
    return {"amount": buyer.money(minor), "currencyCode": "USD"}


def _invalid(message: str) -> Answer:
    return Answer(400, {"errors": [{"code": "InvalidInput", "message": message, "details": ""}]})


def _stamp(moment: datetime) -> str:
    return clock.as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(text: str) -> datetime:
    return clock.as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))

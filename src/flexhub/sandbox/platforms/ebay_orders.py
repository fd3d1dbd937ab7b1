"""eBay orders as the Fulfillment API's getOrders returns them (the Order type), paged by offset."""

import re
from datetime import datetime
from typing import Any

from flexhub.kernel.clock import as_utc
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

WINDOW = re.compile(r"^lastmodifieddate:\[([^.\]]+)\.\.([^\]]*)\]$")
MAX_LIMIT = 200


def orders_page(store: Store, request: Received, refuse: Any) -> Answer:
    """GET /sell/fulfillment/v1/order?filter=lastmodifieddate:[from..to]&limit&offset, oldest first."""
    window = WINDOW.match(request.query.get("filter") or "")
    try:
        since = _moment(window[1]) if window else None
        until = _moment(window[2]) if window and window[2] else None
        limit, offset = int(request.query.get("limit") or 50), int(request.query.get("offset") or 0)
    except ValueError:
        raise Refused(refuse(400, 30800, "The filter is not valid: lastmodifieddate:[from..to] in ISO 8601")) from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise Refused(refuse(400, 30700, f"limit is 1 to {MAX_LIMIT}, offset 0 or more"))
    chosen = [o for o in store.orders_between(since, None) if until is None or o.updated_at <= until]
    body: dict[str, Any] = {"href": f"{store.credentials['base_url']}/sell/fulfillment/v1/order", "total": len(chosen),
                            "limit": limit, "offset": offset,
                            "orders": [document(store, o) for o in chosen[offset:offset + limit]]}
    if offset + limit < len(chosen):
        body["next"] = f"{body['href']}?limit={limit}&offset={offset + limit}"
    return Answer(200, body)


def document(store: Store, order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    ship_to = {"fullName": buyer.NAME, "primaryPhone": {"phoneNumber": buyer.PHONE}, "email": buyer.EMAIL,
               "contactAddress": {"addressLine1": buyer.STREET, "city": buyer.CITY, "stateOrProvince": buyer.PROVINCE,
                                  "postalCode": buyer.POSTCODE, "countryCode": buyer.COUNTRY}}
    return {
        "orderId": order.external_id, "creationDate": _stamp(order.placed_at),
        "lastModifiedDate": _stamp(order.updated_at),
        "orderFulfillmentStatus": "NOT_STARTED", "orderPaymentStatus": "PAID",
        "buyer": {"username": "lin_wei_buys"}, "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
        "pricingSummary": {"priceSubtotal": _amount(total), "deliveryCost": _amount(0), "total": _amount(total)},
        "fulfillmentStartInstructions": [{"fulfillmentInstructionsType": "SHIP_TO",
                                          "shippingStep": {"shipTo": ship_to}}],
        "lineItems": [_line(order, n, line) for n, line in enumerate(order.lines)],
    }


def _line(order: Order, n: int, line: Any) -> dict[str, Any]:
    return {"lineItemId": str(10000000000 + order.number * 10 + n), "legacyItemId": line.listing.item_id,
            "sku": line.listing.sku, "title": f"Sandbox item {line.listing.sku}", "quantity": line.quantity,
            "lineItemCost": _amount(line.listing.price * line.quantity), "lineItemFulfillmentStatus": "NOT_STARTED"}


def _amount(minor: int) -> dict[str, str]:
    return {"value": buyer.money(minor), "currency": "USD"}


def _stamp(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _moment(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))

"""Shopify fulfillment as the Admin API does it: an order's fulfillment orders, and fulfillments made from them.

Shopify makes one fulfillment order per order and location when the order is created; a fulfillment names
fulfillment orders and, optionally, their line items and quantities (none: everything still fulfillable), and
comes with its tracking number. Here each order has one, at the store's location, `open` until every unit is
fulfilled, then `closed`. REST GET orders/<id>/fulfillment_orders.json lists them (the REST Admin API's shape:
shopify.dev/docs/api/admin-rest/latest/resources/fulfillmentorder); GraphQL `fulfillmentCreate` takes
`FulfillmentInput.lineItemsByFulfillmentOrder` and answers 200 with `userErrors` when it cannot.
"""

import re
from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.store import Order, Store

FULFILLMENT_ORDERS = re.compile(r"^/orders/(\d+)/fulfillment_orders\.json$")
GID = re.compile(r"^gid://shopify/(\w+)/(\d+)$")
SHOP_ID = 548380009


def fulfillment_order_id(order: Order) -> int:
    return 1046000000 + order.number


def line_item_id(order: Order, n: int) -> int:
    """The order's n-th line item id, as the order document shows it."""
    return 466157049 + order.number * 100 + n


def fulfillment_line_id(order: Order, n: int) -> int:
    return 1025578000 + order.number * 100 + n


def shipped(order: Order) -> dict[int, int]:
    """Units fulfilled so far per line item id."""
    done: dict[int, int] = {}
    for shipment in order.shipments:
        for line in shipment["lines"]:
            done[int(line["line"])] = done.get(int(line["line"]), 0) + int(line["quantity"])
    return done


def fulfillable(order: Order) -> dict[int, int]:
    done = shipped(order)
    return {line_item_id(order, n): line.quantity - done.get(line_item_id(order, n), 0)
            for n, line in enumerate(order.lines)}


def fulfillment_orders(store: Store, order_id: str) -> Answer:
    order = store.orders.get(order_id)
    if order is None:
        return Answer(404, {"errors": "Not Found"})
    left = fulfillable(order)
    location = int(next(iter(store.listings.values())).location_id or 0)
    return Answer(200, {"fulfillment_orders": [{
        "id": fulfillment_order_id(order), "shop_id": SHOP_ID, "order_id": int(order.external_id),
        "assigned_location_id": location, "request_status": "unsubmitted",
        "status": "open" if any(left.values()) else "closed",
        "supported_actions": ["create_fulfillment"] if any(left.values()) else [],
        "line_items": [{
            "id": fulfillment_line_id(order, n), "shop_id": SHOP_ID,
            "fulfillment_order_id": fulfillment_order_id(order), "line_item_id": line_item_id(order, n),
            "inventory_item_id": int(line.listing.item_id or 0),
            "quantity": line.quantity, "fulfillable_quantity": left[line_item_id(order, n)],
            "variant_id": 39072856 + line.listing.index,
        } for n, line in enumerate(order.lines)],
    }]})


def create_fulfillment(store: Store, fulfillment: dict[str, Any]) -> Answer:
    """fulfillmentCreate: every named fulfillment order open, every quantity still fulfillable, or nothing done."""
    wanted: dict[tuple[str, int], int] = {}
    errors = []
    for group in fulfillment.get("lineItemsByFulfillmentOrder") or []:
        order = _order_of(store, group.get("fulfillmentOrderId"))
        if order is None:
            errors.append({"field": ["fulfillment", "lineItemsByFulfillmentOrder"],
                           "message": "Fulfillment order does not exist."})
            continue
        left = fulfillable(order)
        items = group.get("fulfillmentOrderLineItems")
        chosen = {line_item_id(order, n): left[line_item_id(order, n)] for n in range(len(order.lines))} \
            if items is None else _named(order, items)
        for line_id, quantity in chosen.items():
            if quantity <= 0 or quantity > left.get(line_id, 0):
                errors.append({"field": ["fulfillment", "lineItemsByFulfillmentOrder"],
                               "message": f"Invalid fulfillment order line item quantity requested ({quantity})."})
            wanted[(order.external_id, line_id)] = quantity
    if not wanted and not errors:
        errors.append({"field": ["fulfillment"], "message": "Line items by fulfillment order can't be blank."})
    if errors:
        return Answer(200, {"data": {"fulfillmentCreate": {"fulfillment": None, "userErrors": errors}}})
    tracking = fulfillment.get("trackingInfo") or {}
    for external_id in {external_id for external_id, _ in wanted}:
        order = store.orders[external_id]
        order.shipments.append({"carrier": tracking.get("company"), "tracking_number": tracking.get("number"),
                                "lines": [{"line": str(line_id), "quantity": quantity}
                                          for (order_id, line_id), quantity in wanted.items()
                                          if order_id == external_id]})
        order.status = "shipped" if not any(fulfillable(order).values()) else "partially_shipped"
    number = 255858046 + sum(len(o.shipments) for o in store.orders.values())
    return Answer(200, {"data": {"fulfillmentCreate": {
        "fulfillment": {"id": f"gid://shopify/Fulfillment/{number}", "status": "SUCCESS"}, "userErrors": []}}})


def _order_of(store: Store, gid: Any) -> Order | None:
    found = GID.match(str(gid))
    if not found or found[1] != "FulfillmentOrder":
        return None
    return next((order for order in store.orders.values() if fulfillment_order_id(order) == int(found[2])), None)


def _named(order: Order, items: list[dict[str, Any]]) -> dict[int, int]:
    """{line item id: quantity} for the fulfillment order line items named (an unknown one: quantity 0)."""
    by_fulfillment_line = {fulfillment_line_id(order, n): line_item_id(order, n) for n in range(len(order.lines))}
    chosen: dict[int, int] = {}
    for item in items:
        found = GID.match(str(item.get("id")))
        line_id = by_fulfillment_line.get(int(found[2])) if found else None
        chosen[line_id or -1] = chosen.get(line_id or -1, 0) + int(item.get("quantity") or 0)
    return chosen

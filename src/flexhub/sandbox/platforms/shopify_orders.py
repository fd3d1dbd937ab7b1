"""Shopify orders as the REST Admin API writes them (the orders/create webhook body, orders.json entries)."""

from datetime import datetime
from typing import Any

from flexhub.sandbox.platform import Answer, Received
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.shopify_fulfillment import fulfillable, line_item_id
from flexhub.sandbox.store import Order, Store

PAGE_SIZE = 250


def document(store: Store, order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    left = fulfillable(order)
    status = None if all(left[line_item_id(order, n)] == line.quantity for n, line in enumerate(order.lines)) \
        else "fulfilled" if not any(left.values()) else "partial"
    address = {"first_name": buyer.FIRST, "last_name": buyer.LAST, "name": buyer.NAME, "phone": buyer.PHONE,
               "address1": buyer.DISTRICT + buyer.STREET, "address2": None,  # no district field: it leads address1
               "city": buyer.CITY, "province": buyer.PROVINCE, "country": "China", "country_code": buyer.COUNTRY,
               "zip": buyer.POSTCODE}
    return {
        "id": int(order.external_id), "admin_graphql_api_id": f"gid://shopify/Order/{order.external_id}",
        "name": f"#{1000 + order.number}", "order_number": 1000 + order.number, "email": buyer.EMAIL,
        "created_at": _stamp(order.placed_at), "updated_at": _stamp(order.updated_at),
        "processed_at": _stamp(order.placed_at), "cancelled_at": None, "currency": "USD",
        "financial_status": "paid", "fulfillment_status": status, "total_price": buyer.money(total),
        "subtotal_price": buyer.money(total), "total_discounts": "0.00", "billing_address": address,
        "shipping_address": address, "customer": {"id": 207119551, "first_name": buyer.FIRST, "last_name": buyer.LAST},
        "shipping_lines": [{"id": 369256396, "title": "Standard", "price": "0.00", "discounted_price": "0.00"}],
        "line_items": [{
            "id": line_item_id(order, n), "variant_id": 39072856 + line.listing.index,
            "product_id": 632910392 + line.listing.index, "sku": line.listing.sku, "quantity": line.quantity,
            "current_quantity": line.quantity, "price": buyer.money(line.listing.price),
            "name": f"Sandbox item {line.listing.sku}", "title": f"Sandbox item {line.listing.sku}",
            "discount_allocations": [], "fulfillable_quantity": left[line_item_id(order, n)],
        } for n, line in enumerate(order.lines)],
        "fulfillments": [],
    }


def orders_page(store: Store, request: Received) -> Answer:
    """GET orders.json: orders updated in [updated_at_min, updated_at_max], all on one page here."""
    since, until = (_moment(request.query.get(k)) for k in ("updated_at_min", "updated_at_max"))
    chosen = [o for o in store.orders_between(since, None) if until is None or o.updated_at.replace(microsecond=0)
              <= until]
    return Answer(200, {"orders": [document(store, order) for order in chosen[:PAGE_SIZE]]})


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None

"""WooCommerce v3 orders as GET /orders/<id> writes them (the order.created webhook body too)."""

from datetime import datetime
from typing import Any

from flexhub.kernel.clock import as_utc
from flexhub.sandbox.platform import Answer, Received
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

PER_PAGE = 100


def document(store: Store, order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    person = {"first_name": buyer.FIRST, "last_name": buyer.LAST, "company": "", "address_1": buyer.STREET,
              "address_2": "", "city": buyer.CITY, "state": buyer.PROVINCE, "postcode": buyer.POSTCODE,
              "country": buyer.COUNTRY, "phone": buyer.PHONE}
    return {
        "id": int(order.external_id), "parent_id": 0, "number": order.external_id, "status": "processing",
        "currency": "USD", "date_created_gmt": _stamp(order.placed_at), "date_modified_gmt": _stamp(order.updated_at),
        "date_paid_gmt": _stamp(order.placed_at), "discount_total": "0.00", "shipping_total": "0.00",
        "total": buyer.money(total), "customer_id": 26, "billing": {**person, "email": buyer.EMAIL},
        "shipping": person, "payment_method": "bacs", "shipping_lines": [],
        "line_items": [_line(order, n, line) for n, line in enumerate(order.lines)],
    }


def orders_page(store: Store, request: Received) -> Answer:
    """GET /orders?modified_after&modified_before&page&per_page: oldest first, pages by number."""
    since, until = (_moment(request.query.get(k)) for k in ("modified_after", "modified_before"))
    chosen = [o for o in store.orders_between(None, None)
              if (since is None or o.updated_at.replace(microsecond=0) > since)
              and (until is None or o.updated_at.replace(microsecond=0) < until)]
    per_page, page = int(request.query.get("per_page") or 10), int(request.query.get("page") or 1)
    pages = max(1, -(-len(chosen) // per_page))
    headers = {"X-WP-Total": str(len(chosen)), "X-WP-TotalPages": str(pages)}
    if page < pages:
        headers["Link"] = f'<{store.credentials["base_url"]}/wp-json/wc/v3/orders?page={page + 1}>; rel="next"'
    shown = chosen[(page - 1) * per_page: page * per_page]
    return Answer(200, [document(store, order) for order in shown], headers)


def _line(order: Order, n: int, line: Any) -> dict[str, Any]:
    product, _, variation = (line.listing.item_id or "").partition(":")
    amount = buyer.money(line.listing.price * line.quantity)
    return {"id": 315 + order.number * 100 + n, "name": f"Sandbox item {line.listing.sku}",
            "product_id": int(product), "variation_id": int(variation or 0), "quantity": line.quantity,
            "subtotal": amount, "total": amount, "sku": line.listing.sku, "price": line.listing.price / 100}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _moment(text: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(text)) if text else None

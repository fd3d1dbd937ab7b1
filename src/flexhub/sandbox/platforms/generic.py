"""`generic`: the brand's own site, speaking flexhub's canonical JSON (flexhub.channels.platforms.generic).

Orders go to the hub as webhooks whose body is one canonical order, signed `X-Flexhub-Signature:
sha256=<hex HMAC-SHA256 of the body with webhook_secret>`. Stock comes in on `POST /stock`
{"items": [{"sku", "quantity"}]} with the same signature; orders are listed on `GET /orders`; a shipment
(`POST /orders/{id}/shipments` {"carrier", "tracking_number", "lines"}, signed too) marks the order shipped;
a buyer's return request goes to the hub as a signed `return.requested` webhook (`return_request`).
`GET /stock?skus=a,b` (signed as the orders list is) reads figures back, as reconciliation does.
The site is the brand's own, so its limit is the sandbox's choice: 100 calls/s, 200 at once.
"""

import json
import re
from datetime import datetime
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_hex, same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

HEADER = "X-Flexhub-Signature"
SHIPMENTS = re.compile(r"^/orders/([^/]+)/shipments$")


class Generic(OneTokenACall):
    name: ClassVar[str] = "generic"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = True
    limits: ClassVar[dict[str, RateLimit]] = {"api": RateLimit(per_second=100, burst=200)}

    def operation(self, request: Received) -> str | None:
        method, path = request.method, request.path
        if method == "POST" and SHIPMENTS.match(path):
            return "api"
        return "api" if (method, path) in (("POST", "/stock"), ("GET", "/stock"), ("GET", "/orders")) else None

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, {"error": "too many requests"}, {"Retry-After": str(max(1, round(retry_after)))})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        signed = request.body if request.method == "POST" else b""
        expected = "sha256=" + hmac_sha256_hex(store.credentials["webhook_secret"], signed)
        if not same(expected, request.headers.get(HEADER)):
            raise Refused(Answer(401, {"error": f"{HEADER} does not match"}))
        if request.method == "GET" and request.path == "/stock":
            return _stock(store, request)
        if request.method == "GET":
            return self._orders(store, request)
        if shipped := SHIPMENTS.match(request.path):
            return self._ship(store, shipped[1], request.json() or {})
        items = (request.json() or {}).get("items")
        if not isinstance(items, list):
            raise Refused(Answer(400, {"error": "items is a list of {sku, quantity}"}))
        unknown = [item.get("sku") for item in items if store.listing(item.get("sku")) is None]
        if unknown:
            raise Refused(Answer(404, {"error": "unknown SKUs", "skus": unknown}))
        figures = {item["sku"]: int(item["quantity"]) for item in items}
        return Answer(200, {"updated": len(figures)}, figures=figures)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"webhook_secret": buyer.new_secret(), "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return None, None

    def order_id(self, number: int) -> str:
        return f"WEB-{number:08d}"

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return {
            "external_id": order.external_id, "currency": self.currency, "payment_state": "paid",
            "buyer": {"name": buyer.NAME, "phone": buyer.PHONE, "email": buyer.EMAIL},
            "shipping_address": {"country": buyer.COUNTRY, "province": buyer.PROVINCE, "city": buyer.CITY,
                                 "district": buyer.DISTRICT, "line1": buyer.STREET, "postal_code": buyer.POSTCODE},
            "lines": [{"sku": line.listing.sku, "quantity": line.quantity, "unit_price": line.listing.price}
                      for line in order.lines],
            "placed_at": order.placed_at.isoformat(), "updated_at": order.updated_at.isoformat(),
        }

    def webhook(self, store: Store, order: Order) -> Webhook:
        body = json.dumps(self.document(store, order), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json",
                   HEADER: "sha256=" + hmac_sha256_hex(store.credentials["webhook_secret"], body)}
        return Webhook(f"/webhooks/generic/{store.code}", headers, body)

    def return_request(self, store: Store, order: Order, return_id: str, lines: dict[str, int],
                       reason: str) -> Webhook:
        """The buyer asks to send `lines` (seller SKU → units) of `order` back: the signed return.requested hook."""
        body = json.dumps({"return_id": return_id, "order_external_id": order.external_id, "reason": reason,
                           "lines": [{"sku": sku, "quantity": n} for sku, n in lines.items()],
                           "requested_at": order.updated_at.isoformat()}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "X-Flexhub-Topic": "return.requested",
                   HEADER: "sha256=" + hmac_sha256_hex(store.credentials["webhook_secret"], body)}
        return Webhook(f"/webhooks/generic/{store.code}", headers, body)

    def _ship(self, store: Store, external_id: str, document: dict[str, Any]) -> Answer:
        order = store.orders.get(external_id)
        if order is None:
            raise Refused(Answer(404, {"error": f"no order {external_id}"}))
        if not document.get("tracking_number"):
            raise Refused(Answer(400, {"error": "a shipment needs its tracking_number"}))
        order.shipments.append({"carrier": document.get("carrier"), "tracking_number": document["tracking_number"],
                                "lines": document.get("lines") or []})
        order.status = "shipped"
        return Answer(201, {"order": external_id, "status": order.status})

    def _orders(self, store: Store, request: Received) -> Answer:
        since, until = (_moment(request.query.get(k)) for k in ("updated_since", "updated_until"))
        return Answer(200, {"orders": [self.document(store, o) for o in store.orders_between(since, until)],
                            "next_cursor": None})


def _stock(store: Store, request: Received) -> Answer:
    skus = [sku for sku in (request.query.get("skus") or "").split(",") if sku]
    listed = [store.listing(sku) for sku in skus]
    return Answer(200, {"items": [{"sku": x.sku, "quantity": x.quantity} for x in listed if x is not None]})


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


PLATFORM = Generic()

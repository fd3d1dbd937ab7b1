"""`generic`: the brand's own site (or any system) sending flexhub's canonical order JSON.

Webhook: the body is one canonical order (the `POST /api/v1/orders` body without `channel`),
signed `X-Flexhub-Signature: sha256=<hex HMAC-SHA256 of the raw body with webhook_secret>`.
A buyer's return request is a webhook with `X-Flexhub-Topic: return.requested` whose body is
{"return_id", "order_external_id", "lines": [{"sku", "quantity"}], "reason", "requested_at"}, signed the same way.
Stock out: `POST {base_url}/stock` with `{"items": [{"sku", "quantity"}]}`, same signature.
Stock read (reconciliation): `GET {base_url}/stock?skus=a,b` (signed as the orders poll is), answered
`{"items": [{"sku", "quantity"}]}`: flexhub's own format, so the sample in its test is ours.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ChannelReturn,
    ListingRef,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex, same
from flexhub.kernel.text import KNOWN_STORABLE, known_storable
from flexhub.ordering import OrderIn

HEADER = "x-flexhub-signature"
TOPIC = "x-flexhub-topic"  # absent: an order
RETURN_REQUESTED = "return.requested"
# The status a payment state means; partially_refunded is still a paid order (its payment_state says the rest).
STATUSES = {"pending": "unpaid", "refunded": "refunded"}
READ_BATCH = 200  # SKUs a stock read names, to keep its query string short


class GenericAdapter:
    platform: ClassVar[str] = "generic"
    credential_fields: ClassVar[tuple[str, ...]] = ("webhook_secret",)
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=50, burst=100, stock_batch=500)
    capabilities: ClassVar[frozenset[str]] = frozenset({"return_requests"})
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        expected = "sha256=" + hmac_sha256_hex(credentials["webhook_secret"], body)
        if not same(expected, headers.get(HEADER)):
            raise SignatureInvalid(f"{HEADER} does not match the body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[ChannelOrder]:
        if headers.get(TOPIC) == RETURN_REQUESTED:
            return []  # a return request carries no order change
        text = body.decode()
        # Every string checked in one scan of the body where it can be (as the order lane does), not one by one.
        return [self._order(json.loads(text), {KNOWN_STORABLE: True} if known_storable(text) else None)]

    def parse_returns(self, headers: Mapping[str, str], body: bytes) -> list[ChannelReturn]:
        if headers.get(TOPIC) != RETURN_REQUESTED:
            return []
        request = json.loads(body)
        return [ChannelReturn(
            external_id=str(request["return_id"]), order_external_id=str(request["order_external_id"]),
            lines=tuple((str(line["sku"]), int(line["quantity"])) for line in request.get("lines") or []),
            reason=request.get("reason"),
            requested_at=datetime.fromisoformat(request["requested_at"]) if request.get("requested_at") else None)]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        return self._order(payload, None)

    def _order(self, payload: Mapping[str, Any], context: dict[str, Any] | None) -> ChannelOrder:
        order = OrderIn.model_validate({**payload, "channel": payload.get("channel") or "-"}, context=context)
        status = "cancelled" if order.cancelled else STATUSES.get(order.payment_state, "paid")
        return ChannelOrder(
            external_id=order.external_id, status=status, platform_status=status, currency=order.currency,
            lines=tuple(ChannelLine(line.sku, line.quantity, line.unit_price, line.discount,
                                    external_line_id=line.external_line_id, presale=line.presale)
                  for line in order.lines),
            buyer=order.buyer.model_dump(exclude_none=True),
            shipping_address=order.shipping_address.model_dump(exclude_none=True),
            shipping_fee=order.shipping_fee, order_discount=order.order_discount, placed_at=order.placed_at,
            updated_at=order.updated_at, presale=order.presale, live_room=order.live_room, streamer=order.streamer,
            vip=order.vip, payment_state=order.payment_state, validated=True,
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        params = {"updated_since": since.isoformat(), "updated_until": until.isoformat()}
        if cursor:
            params["cursor"] = cursor
        return ApiRequest("GET", f"{credentials['base_url']}/orders", params=params,
                          headers={HEADER: "sha256=" + hmac_sha256_hex(credentials["webhook_secret"], "")})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        return OrdersPage(tuple(payload.get("orders", [])), payload.get("next_cursor"))

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        size = self.rate_limit.stock_batch
        return [self._signed(credentials, "/stock", {"items": [{"sku": p.external_sku, "quantity": p.quantity}
                                                                for p in pushes[start:start + size]]})
                for start in range(0, len(pushes), size)]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        signature = {HEADER: "sha256=" + hmac_sha256_hex(credentials["webhook_secret"], "")}
        return [StockRead(ApiRequest("GET", f"{credentials['base_url']}/stock", headers=signature,
                                     params={"skus": ",".join(ref.external_sku for ref in batch)}), tuple(batch))
                for batch in (listings[start:start + READ_BATCH] for start in range(0, len(listings), READ_BATCH))]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        wanted = {ref.external_sku for ref in listings}
        return {item["sku"]: int(item["quantity"]) for item in payload.get("items", []) if item.get("sku") in wanted}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        return self._signed(credentials, f"/orders/{notice.external_id}/shipments", {
            "carrier": notice.carrier, "tracking_number": notice.tracking_number,
            "lines": [{"line": line, "quantity": quantity} for line, quantity in notice.lines]})

    def _signed(self, credentials: Mapping[str, str], path: str, document: Any) -> ApiRequest:
        body = json.dumps(document, separators=(",", ":")).encode()
        headers = {"content-type": "application/json",
                   HEADER: "sha256=" + hmac_sha256_hex(credentials["webhook_secret"], body)}
        return ApiRequest("POST", f"{credentials['base_url']}{path}", headers=headers, content=body)

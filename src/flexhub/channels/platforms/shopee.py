"""`shopee`: Shopee Open Platform v2 (https://open.shopee.com/documents/v2).

Signing ("API calls" guide): every call carries partner_id, timestamp and sign in the query;
sign = hex HMAC-SHA256(partner_key, partner_id + path + timestamp [+ access_token + shop_id for shop
APIs]). The timestamp is valid for 5 minutes, so it comes from the one clock.

Orders come in two steps. `orders_request` builds v2.order.get_order_list (time_range_field=update_time,
a window of at most 15 days, page_size ≤ 100, Shopee's own cursor); its page holds references
({"external_id", "platform_status"}) only. The worker then sends `detail_requests(credentials, ids)`
(v2.order.get_order_detail, ≤ 50 order_sn a call, naming every optional field it needs: one not named
comes back absent) and feeds each order of `parse_details(payload)` to `parse_order`.

Push (the "Push Mechanism" guide): the `Authorization` header is hex HMAC-SHA256(partner_key,
callback_url + "|" + raw body); the callback URL is the channel's `push_callback_url`. Order status
(code 3) and tracking number (code 4) pushes name an order without carrying it: `OrderReference`s
to fetch through `detail_requests`.

Stock: v2.product.update_stock sets `seller_stock` for the models of ONE item per call, ≤ 50 models.
Stock read (reconciliation): v2.product.get_model_list (one item a call) for models, and
v2.product.get_item_base_info (≤ 50 item_id a call) for items without models; the figure is the sum of
`stock_info_v2.seller_stock[].stock` (what update_stock sets), at the listing's location when it has one.
Shipment: v2.logistics.ship_order, for non-integrated logistics channels only, where the seller's
carrier gave the tracking number. On integrated channels (the usual case) Shopee's carrier assigns it:
the seller arranges pickup or drop-off (get_shipping_parameter, then ship_order with `pickup` or
`dropoff`) and learns the number from v2.logistics.get_tracking_number or the code 4 push.
"""

import json
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from itertools import groupby
from typing import Any, ClassVar

from flexhub.channels.adapter import (
    ChannelLine,
    ChannelOrder,
    ListingRef,
    OrderReference,
    OrdersPage,
    ShipmentNotice,
    StockPush,
    StockRead,
)
from flexhub.channels.errors import UnreadablePayload
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex, same
from flexhub.kernel import clock
from flexhub.kernel.money import to_minor

PRODUCTION = "https://partner.shopeemobile.com"  # the Singapore host; .cn and .com.br serve other regions
ORDER_LIST = "/api/v2/order/get_order_list"
ORDER_DETAIL = "/api/v2/order/get_order_detail"
UPDATE_STOCK = "/api/v2/product/update_stock"
MODEL_LIST = "/api/v2/product/get_model_list"
ITEM_BASE_INFO = "/api/v2/product/get_item_base_info"
SHIP_ORDER = "/api/v2/logistics/ship_order"
REFRESH_TOKEN = "/api/v2/auth/access_token/get"
PAGE_SIZE = 100
DETAIL_BATCH = 50
STOCK_BATCH = 50
MAX_WINDOW = timedelta(days=15)
DETAIL_FIELDS = ",".join((
    "buyer_user_id", "buyer_username", "recipient_address", "item_list", "pay_time", "total_amount",
    "estimated_shipping_fee", "actual_shipping_fee", "package_list", "shipping_carrier", "payment_method",
    "note", "cancel_by", "cancel_reason", "buyer_cancel_reason", "pickup_done_time", "fulfillment_flag",
))
PUSH_ORDER_CODES = (3, 4)  # order status, tracking number

# The data definition's OrderStatus, and what each means to the hub.
STATUSES = {
    "UNPAID": "unpaid",
    "PENDING": "unpaid",  # only sent on request_order_status_pending=true, which we do not send
    "READY_TO_SHIP": "paid",
    "PROCESSED": "paid",  # shipment arranged, parcel not yet with the carrier
    "RETRY_SHIP": "paid",
    "INVOICE_PENDING": "paid",
    "IN_CANCEL": "paid",  # a cancellation is being decided; CANCELLED follows if granted
    "SHIPPED": "shipped",
    "TO_CONFIRM_RECEIVE": "delivered",
    "COMPLETED": "delivered",
    "TO_RETURN": "refunded",  # the buyer asked to return; the returns capability follows the RMA
    "CANCELLED": "cancelled",
}


class ShopeeAdapter:
    platform: ClassVar[str] = "shopee"
    credential_fields: ClassVar[tuple[str, ...]] = ("partner_id", "partner_key", "shop_id", "access_token")
    # Shopee publishes no per-second figure; this stays well under what shops see in practice.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10, stock_batch=STOCK_BATCH)
    capabilities: ClassVar[frozenset[str]] = frozenset({"order_details", "answer_errors", "order_limit"})
    # Shopee sets quotas per API in its console: order calls count apart from product calls.
    order_rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10)
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        if not credentials.get("push_callback_url"):
            raise SignatureInvalid("the channel has no push_callback_url to verify Shopee's push against")
        base = credentials["push_callback_url"].encode() + b"|" + body
        if not same(hmac_sha256_hex(credentials["partner_key"], base), _header(headers, "authorization")):
            raise SignatureInvalid("Authorization does not match the callback URL and body")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        push = json.loads(body)
        data = push.get("data") or {}
        if push.get("code") not in PUSH_ORDER_CODES or not data.get("ordersn"):
            return []
        return [OrderReference(data["ordersn"], _unix(data.get("update_time") or push.get("timestamp")))]

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        currency = payload["currency"]
        lines = tuple(_line(item, currency) for item in payload["item_list"])
        net = sum(line.unit_price * line.quantity - line.discount for line in lines)
        # get_order_detail does not split what the buyer paid into shipping and vouchers (the escrow
        # API does): the difference to total_amount is a discount, or a shipping charge if positive.
        residual = net - to_minor(payload["total_amount"], currency)
        address = payload.get("recipient_address") or {}
        return ChannelOrder(
            external_id=payload["order_sn"], status=_status(payload["order_status"]),
            platform_status=payload["order_status"], currency=currency, lines=lines,
            buyer=_present(name=address.get("name") or payload.get("buyer_username"), phone=address.get("phone"),
                           external_id=_text(payload.get("buyer_user_id")), username=payload.get("buyer_username")),
            shipping_address=_present(
                country=address.get("region") or payload.get("region"), province=address.get("state"),
                city=address.get("city"), district=address.get("district"), town=address.get("town"),
                line1=address.get("full_address"), postal_code=address.get("zipcode")),
            shipping_fee=max(0, -residual), order_discount=max(0, residual),
            placed_at=_unix(payload.get("create_time")), updated_at=_unix(payload.get("update_time")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        time_from, time_to = math.floor(since.timestamp()), math.ceil(until.timestamp())
        if time_to - time_from > MAX_WINDOW.total_seconds():  # measured on what is sent: a second more is refused
            raise ValueError("get_order_list takes a window of at most 15 days")
        return self._call(credentials, "GET", ORDER_LIST, query={
            "time_range_field": "update_time", "time_from": str(time_from), "time_to": str(time_to),
            "page_size": str(PAGE_SIZE), "cursor": cursor or "", "response_optional_fields": "order_status"})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        page = _response(payload)
        listed = tuple({"external_id": order["order_sn"], "platform_status": order.get("order_status")}
                       for order in page.get("order_list", []))
        return OrdersPage(listed, (page.get("next_cursor") or None) if page.get("more") else None)

    def detail_requests(self, credentials: Mapping[str, str], external_ids: Sequence[str]) -> list[ApiRequest]:
        """v2.order.get_order_detail for these orders, at most 50 a call."""
        return [self._call(credentials, "GET", ORDER_DETAIL, query={
            "order_sn_list": ",".join(external_ids[start:start + DETAIL_BATCH]),
            "response_optional_fields": DETAIL_FIELDS}) for start in range(0, len(external_ids), DETAIL_BATCH)]

    def parse_details(self, payload: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        return list(_response(payload).get("order_list", []))

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """Shopee names a refusal in `error`; update_stock lists the models it did not set in failure_list."""
        if payload.get("error"):
            return f"Shopee {payload['error']}: {payload.get('message')}"
        failed = (payload.get("response") or {}).get("failure_list") or []
        return f"Shopee did not set {failed}" if failed else None

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        models = sorted((_listing(push) + (push,) for push in pushes), key=lambda row: row[0])
        requests = []
        for item_id, grouped in groupby(models, key=lambda row: row[0]):
            item_models = list(grouped)
            for start in range(0, len(item_models), STOCK_BATCH):
                stock_list = [{"model_id": model_id, "seller_stock": [_seller_stock(push)]}
                              for _, model_id, push in item_models[start:start + STOCK_BATCH]]
                requests.append(self._call(credentials, "POST", UPDATE_STOCK,
                                           body={"item_id": item_id, "stock_list": stock_list}))
        return requests

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        by_item: dict[int, list[ListingRef]] = {}
        for ref in listings:
            by_item.setdefault(_listing(ref)[0], []).append(ref)
        plain = [(item, refs) for item, refs in by_item.items() if all(_listing(ref)[1] == 0 for ref in refs)]
        reads = [StockRead(self._call(credentials, "GET", MODEL_LIST, query={"item_id": str(item)}), tuple(refs))
                 for item, refs in by_item.items() if (item, refs) not in plain]
        for start in range(0, len(plain), DETAIL_BATCH):
            batch = plain[start:start + DETAIL_BATCH]
            query = {"item_id_list": ",".join(str(item) for item, _ in batch)}
            reads.append(StockRead(self._call(credentials, "GET", ITEM_BASE_INFO, query=query),
                                   tuple(ref for _, refs in batch for ref in refs)))
        return reads

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if error := self.response_error(payload):
            raise ValueError(error)
        response = payload.get("response") or {}
        if "model" in response:  # get_model_list answers for one item: its models by model_id
            held = {model["model_id"]: model.get("stock_info_v2") for model in response["model"]}
            key = 1
        else:  # get_item_base_info: items by item_id
            held = {item["item_id"]: item.get("stock_info_v2") for item in response.get("item_list", ())}
            key = 0
        figures = {}
        for ref in listings:
            info = held.get(_listing(ref)[key])
            if info is not None:
                figures[ref.external_sku] = sum(int(stock.get("stock", 0)) for stock in info.get("seller_stock", ())
                                                if not ref.location_id or stock.get("location_id") == ref.location_id)
        return figures

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        if notice.lines and not notice.whole:
            raise ValueError("Shopee ships whole orders or packages (split with v2.order.split_order first)")
        return self._call(credentials, "POST", SHIP_ORDER, body={
            "order_sn": notice.external_id, "non_integrated": {"tracking_no": notice.tracking_number}})

    def refresh_token_request(self, credentials: Mapping[str, str], refresh_token: str) -> ApiRequest:
        """v2.auth.access_token.get: a new access_token (4 hours) and refresh_token (30 days)."""
        body = {"refresh_token": refresh_token, "partner_id": int(credentials["partner_id"]),
                "shop_id": int(credentials["shop_id"])}
        return self._call(credentials, "POST", REFRESH_TOKEN, body=body, shop_level=False)

    def _call(self, credentials: Mapping[str, str], method: str, path: str, *, query: Mapping[str, str] | None = None,
              body: Any = None, shop_level: bool = True) -> ApiRequest:
        timestamp = int(clock.now().timestamp())
        common = {"partner_id": str(credentials["partner_id"]), "timestamp": str(timestamp)}
        if shop_level:
            common |= {"access_token": credentials["access_token"], "shop_id": str(credentials["shop_id"])}
        common["sign"] = partner_sign(credentials, path, timestamp, shop_level=shop_level)
        url = credentials.get("base_url", PRODUCTION).rstrip("/") + path
        if body is None:
            return ApiRequest(method, url, params={**common, **(query or {})})
        return ApiRequest(method, url, params=common, headers={"content-type": "application/json"},
                          content=json.dumps(body, separators=(",", ":")).encode())


def partner_sign(credentials: Mapping[str, str], path: str, timestamp: int, *, shop_level: bool = True) -> str:
    """The `sign` of a call: shop APIs add access_token and shop_id to the base string, public ones do not."""
    base = f"{credentials['partner_id']}{path}{timestamp}"
    if shop_level:
        base += f"{credentials['access_token']}{credentials['shop_id']}"
    return hmac_sha256_hex(credentials["partner_key"], base)


def _line(item: Mapping[str, Any], currency: str) -> ChannelLine:
    quantity = int(item["model_quantity_purchased"])
    price = to_minor(item["model_original_price"], currency)
    # A bundle-deal item reports a discounted price of 0: its discount is not broken down per item.
    discounted = to_minor(item["model_discounted_price"], currency) or price
    platform_id = f"{item['item_id']}:{item.get('model_id') or 0}"
    return ChannelLine(
        external_sku=item.get("model_sku") or item.get("item_sku") or platform_id, quantity=quantity,
        unit_price=price, discount=max(0, (price - discounted) * quantity), external_item_id=platform_id,
        external_line_id=f"{item.get('order_item_id') or item['item_id']}:{item.get('model_id') or 0}",
        title=item.get("item_name"),
    )


def _listing(push: StockPush | ListingRef) -> tuple[int, int]:
    """(item_id, model_id) from the listing's "item_id:model_id"; an item without models is model 0."""
    if not push.external_item_id:
        raise ValueError(f"Shopee stock for {push.external_sku} needs the listing's item_id:model_id")
    item_id, _, model_id = push.external_item_id.partition(":")
    return int(item_id), int(model_id or 0)


def _seller_stock(push: StockPush) -> dict[str, Any]:
    return {"location_id": push.location_id, "stock": push.quantity} if push.location_id else {"stock": push.quantity}


def _status(platform_status: str) -> str:
    if platform_status not in STATUSES:
        raise UnreadablePayload(f"unknown Shopee order status {platform_status!r}")
    return STATUSES[platform_status]


def _response(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    if payload.get("error"):
        raise UnreadablePayload(f"Shopee answered {payload['error']}: {payload.get('message')}")
    return payload.get("response") or {}


def _unix(seconds: Any) -> datetime | None:
    return datetime.fromtimestamp(int(seconds), UTC) if seconds else None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that carry a value; Shopee sends "" for what it does not know."""
    return {key: value for key, value in fields.items() if value not in (None, "")}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)

"""`shopee`: a Shopee shop behind Open Platform v2, as flexhub.channels.platforms.shopee calls it.

Auth (the "API calls" guide): every call carries partner_id, timestamp, access_token, shop_id and
sign in the query; sign = hex HMAC-SHA256(partner_key, partner_id + path + timestamp + access_token +
shop_id), the timestamp within 5 minutes of now. A bad sign is 403 `error_sign`, a stale timestamp
403 `error_param`, a wrong token or shop 403 `error_auth`.
Stock: POST /api/v2/product/update_stock {item_id, stock_list: [{model_id, seller_stock: [{stock}]}]},
the models of one item, 50 at most; the answer lists success_list and failure_list per model.
Stock read: GET /api/v2/product/get_model_list?item_id (an item's models) and get_item_base_info
?item_id_list (items), each with stock_info_v2 {summary_info, seller_stock}.
Orders: each new one is pushed (code 3, order status) to the shop's callback URL, naming the order
and signed `Authorization` = hex HMAC-SHA256(partner_key, callback URL + "|" + body); the hub then
asks get_order_detail (50 order_sn a call) for it. get_order_list (by update_time, a window of 15 days
at most, cursor paging) names them too (shopee_orders). Shipping: POST /api/v2/logistics/ship_order {order_sn,
non_integrated: {tracking_no}} for the seller's own courier, once an order.
Rate: Shopee sets per-API quotas in its console rather than publishing them; the sandbox gives each
shop 10 calls/s (10 at once) for product calls and as much again for order calls, and answers
429 `error_too_many_request` beyond.
"""

import json
import time
import zlib
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_hex, same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.shopee_orders import detail, order_details, order_list, ship_order
from flexhub.sandbox.store import Order, Store

STOCK = "/api/v2/product/update_stock"
ORDER_LIST = "/api/v2/order/get_order_list"
ORDER_DETAIL = "/api/v2/order/get_order_detail"
MODEL_LIST = "/api/v2/product/get_model_list"
ITEM_BASE_INFO = "/api/v2/product/get_item_base_info"
SHIP_ORDER = "/api/v2/logistics/ship_order"
MAX_MODELS = 50
TIMESTAMP_WINDOW_S = 300


class Shopee(OneTokenACall):
    name: ClassVar[str] = "shopee"
    currency: ClassVar[str] = "SGD"
    pushes_orders: ClassVar[bool] = True
    limits: ClassVar[dict[str, RateLimit]] = {"product": RateLimit(per_second=10, burst=10),
                                              "order": RateLimit(per_second=10, burst=10)}

    def operation(self, request: Received) -> str | None:
        method, path = request.method, request.path
        if (method, path) in (("POST", STOCK), ("GET", MODEL_LIST), ("GET", ITEM_BASE_INFO)):
            return "product"
        return "order" if (method, path) in (("GET", ORDER_LIST), ("GET", ORDER_DETAIL), ("POST", SHIP_ORDER)) else None

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return _error(429, "error_too_many_request", "Too many requests, please try again later.")

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        _authenticate(store, request)
        if request.path == ORDER_LIST:
            return order_list(store, request)
        if request.path == ORDER_DETAIL:
            return order_details(store, request)
        if request.path == SHIP_ORDER:
            return ship_order(store, request)
        if request.path in (MODEL_LIST, ITEM_BASE_INFO):
            return _stock_read(store, request)
        body = request.json() or {}
        models = body.get("stock_list") or []
        if not models or len(models) > MAX_MODELS:
            raise Refused(_error(400, "error_param", f"stock_list holds 1 to {MAX_MODELS} models"))
        done, failed, figures = [], [], {}
        for model in models:
            listing = store.listing_by_item(f"{body.get('item_id')}:{model.get('model_id')}")
            stocks = model.get("seller_stock") or []
            if listing is None or len(stocks) != 1 or not isinstance(stocks[0].get("stock"), int):
                failed.append({"model_id": model.get("model_id"), "failed_reason": "invalid model or seller_stock"})
                continue
            figures[listing.sku] = stocks[0]["stock"]
            done.append({"model_id": model["model_id"], "location_id": stocks[0].get("location_id", ""),
                         "stock": stocks[0]["stock"]})
        return Answer(200, _ok({"success_list": done, "failure_list": failed}), figures=figures)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        number = str(zlib.crc32(code.encode()) % 10 ** 6)
        return {"partner_id": "1" + number.zfill(6), "partner_key": buyer.new_secret("shpk", 24),
                "shop_id": "8" + number.zfill(7), "access_token": buyer.new_secret(), "base_url": base_url,
                "push_callback_url": f"{hub_url}/webhooks/shopee/{code}"}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        # Four models to an item, so one update_stock call carries several.
        return f"{23620853561 + index // 4}:{221404189791 + index}", None

    def order_id(self, number: int) -> str:
        return f"240409{number:08d}"[:14]

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return detail(store, order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        push = {"data": {"ordersn": order.external_id, "status": "READY_TO_SHIP",
                         "update_time": int(order.updated_at.timestamp())},
                "shop_id": int(store.credentials["shop_id"]), "code": 3, "timestamp": int(time.time())}
        body = json.dumps(push, separators=(",", ":")).encode()
        url = store.credentials["push_callback_url"]
        signature = hmac_sha256_hex(store.credentials["partner_key"], url.encode() + b"|" + body)
        return Webhook(f"/webhooks/shopee/{store.code}", {"Content-Type": "application/json",
                                                         "Authorization": signature}, body)


def _stock_read(store: Store, request: Received) -> Answer:
    if request.path == MODEL_LIST:
        item = request.query.get("item_id") or ""
        models = [{"model_id": int(listing.platform_id.partition(":")[2]), "model_sku": listing.sku,
                   "stock_info_v2": _stock_info(listing.quantity)}
                  for listing in store.listings.values() if (listing.item_id or "").partition(":")[0] == item]
        if not models:
            raise Refused(_error(400, "error_item_not_found", f"item_id {item} not found"))
        return Answer(200, _ok({"tier_variation": [], "model": models}))
    items = [i for i in (request.query.get("item_id_list") or "").split(",") if i]
    found = [listing for listing in store.listings.values() if (listing.item_id or "") in items]
    return Answer(200, _ok({"item_list": [{"item_id": int(x.platform_id), "item_sku": x.sku,
                                           "stock_info_v2": _stock_info(x.quantity)} for x in found]}))


def _stock_info(quantity: int) -> dict[str, Any]:
    return {"summary_info": {"total_reserved_stock": 0, "total_available_stock": quantity},
            "seller_stock": [{"location_id": "", "stock": quantity}]}


def _authenticate(store: Store, request: Received) -> None:
    credentials, query = store.credentials, request.query
    if query.get("partner_id") != credentials["partner_id"]:
        raise Refused(_error(403, "error_auth", "Invalid partner_id."))
    timestamp = query.get("timestamp") or ""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TIMESTAMP_WINDOW_S:
        raise Refused(_error(403, "error_param", "Invalid timestamp."))
    base = f"{credentials['partner_id']}{request.path}{timestamp}{query.get('access_token')}{query.get('shop_id')}"
    if not same(hmac_sha256_hex(credentials["partner_key"], base), query.get("sign")):
        raise Refused(_error(403, "error_sign", "Wrong sign."))
    if query.get("access_token") != credentials["access_token"] or query.get("shop_id") != credentials["shop_id"]:
        raise Refused(_error(403, "error_auth", "Invalid access_token or shop_id."))


def _ok(response: dict[str, Any]) -> dict[str, Any]:
    return {"error": "", "message": "", "warning": "", "request_id": buyer.new_secret(length=8), "response": response}


def _error(status: int, error: str, message: str) -> Answer:
    return Answer(status, {"error": error, "message": message, "request_id": buyer.new_secret(length=8)})


PLATFORM = Shopee()

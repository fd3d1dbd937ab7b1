"""`kuaishou`: a 快手小店 (Kuaishou shop) behind open.kwaixiaodian.com, as flexhub's adapter calls it.

Every call goes to `/<method with / for .>` with appkey, method, version=1, param (the business JSON;
in the form body for a POST), access_token, timestamp (ms), signMethod and sign; sign is over
"k=v&..." of those sorted by name plus "&signSecret=<sign secret>": MD5 hex, or HMAC-SHA256 keyed
with the sign secret, Base64 (doc 401853). Answers are HTTP 200 with `result` 1, another on failure.
Stock: open.item.sku.stock.update changes one SKU by a difference (skuChangeStock; changeType 1 adds,
2 takes away); open.item.sku.list.get (kwaiItemId) lists an item's SKUs with skuStock.
Orders: a new one is pushed (kwaishop_order_paySuccess) as Base64 AES-CBC (zero IV,
the app's message key) of {eventId, bizId, appKey, event, info, createTime}, and fetched with
open.order.detail; open.order.cursor.list lists them by update time.
Shipping: open.seller.order.goods.deliver (kuaishou_orders.goods_deliver).
Rate (doc 401718): item writes 50 calls/s per seller, order reads 300/s; past them result 429 here.
"""

import json
import time
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_base64, md5_hex, same
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.kuaishou_orders import cursor_list, detail, document, goods_deliver, order_push
from flexhub.sandbox.store import Order, Store

OPERATIONS = {"/open/item/sku/stock/update": "item", "/open/item/sku/list/get": "item",
              "/open/order/cursor/list": "order", "/open/order/detail": "order",
              "/open/seller/order/goods/deliver": "order"}
TIMESTAMP_WINDOW_S = 600


class Kuaishou(OneTokenACall):
    name: ClassVar[str] = "kuaishou"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = True
    limits: ClassVar[dict[str, RateLimit]] = {"item": RateLimit(per_second=50, burst=50),
                                              "order": RateLimit(per_second=300, burst=300)}

    def operation(self, request: Received) -> str | None:
        return OPERATIONS.get(request.path)

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, _error(429, "请求过于频繁", "api.rate.limit").body)

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        params = _parameters(request)
        _authenticate(store, request.path, params)
        business = json.loads(params.get("param") or "{}")
        if request.path == "/open/order/cursor/list":
            return cursor_list(store, business)
        if request.path == "/open/order/detail":
            return detail(store, business)
        if request.path == "/open/seller/order/goods/deliver":
            return goods_deliver(store, business)
        if request.path == "/open/item/sku/list/get":
            return _sku_list(store, business)
        listing = store.listing_by_item(f"{business.get('kwaiItemId')}:{business.get('skuId')}")
        change, kind = business.get("skuChangeStock"), business.get("changeType")
        if listing is None or not isinstance(change, int) or change <= 0 or kind not in (1, 2):
            raise Refused(_error(22, "参数错误", "isv.invalid-param"))
        quantity = listing.quantity + (change if kind == 1 else -change)
        if quantity < 0:
            raise Refused(_error(22, "库存不足", "isv.stock-not-enough"))
        return Answer(200, {"result": 1, "error_msg": "SUCCESS"}, figures={listing.sku: quantity})

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"app_key": "ks" + buyer.new_secret(length=8), "app_secret": buyer.new_secret(),
                "sign_secret": buyer.new_secret(), "access_token": buyer.new_secret(),
                "message_private_key": buyer.new_secret_base64(), "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return f"{21936000000 + index // 4}:{5123000000 + index}", None

    def order_id(self, number: int) -> str:
        return str(2419000000000000 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        return order_push(store.code, store.credentials, order)


def _sku_list(store: Store, business: dict[str, Any]) -> Answer:
    item = str(business.get("kwaiItemId"))
    skus = [{"kwaiSkuId": int(x.platform_id.partition(":")[2]), "relSkuId": 0, "skuNick": x.sku, "skuStock": x.quantity}
            for x in store.listings.values() if (x.item_id or "").partition(":")[0] == item]
    if not skus:
        raise Refused(_error(22, "商品不存在", "isv.item-not-exist"))
    return Answer(200, {"result": 1, "error_msg": "SUCCESS", "data": skus})


def _parameters(request: Received) -> dict[str, str]:
    found = dict(request.query)
    if request.body:
        found.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    return found


def _authenticate(store: Store, path: str, params: dict[str, str]) -> None:
    credentials = store.credentials
    if params.get("appkey") != credentials["app_key"] or params.get("method", "").replace(".", "/") != path[1:]:
        raise Refused(_error(20, "appkey或method无效", "isv.invalid-appkey"))
    timestamp = params.get("timestamp") or ""
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > TIMESTAMP_WINDOW_S * 1000:
        raise Refused(_error(21, "时间戳无效", "isv.invalid-timestamp"))
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "sign")
    text += f"&signSecret={credentials['sign_secret']}"
    method = params.get("signMethod")
    expected = md5_hex(text) if method == "MD5" else hmac_sha256_base64(credentials["sign_secret"], text) \
        if method == "HMAC_SHA256" else ""
    if not expected or not same(expected, params.get("sign")):
        raise Refused(_error(25, "签名无效", "isv.invalid-sign"))
    if params.get("access_token") != credentials["access_token"]:
        raise Refused(_error(28, "access_token无效", "isv.invalid-access-token"))


def _error(result: int, message: str, sub_code: str) -> Answer:
    return Answer(200, {"result": result, "error_msg": message, "subCode": sub_code, "subMsg": message})


PLATFORM = Kuaishou()

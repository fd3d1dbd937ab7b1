"""`douyin`: a 抖店 (Douyin shop) behind op.jinritemai.com, as flexhub.channels.platforms.douyin calls it.

Every call is `POST /<method with / for .>` with app_key, method, timestamp (unix s), v=2, sign_method,
sign and access_token in the query and `param_json` as the body; sign = hex HMAC-SHA256(app_secret,
app_secret + "app_key"… + "method"… + "param_json"… + "timestamp"… + "v2" + app_secret) for
sign_method hmac-sha256, or the MD5 of that text for md5 (the official SDK's sign_util). The answer
is always HTTP 200 with `code` 10000 on success, another code (and sub_code) on failure.
Stock: sku.syncStock sets one SKU (sku_id, or the seller's `code`; stock_num; incremental false) and
is made once per `idempotent_id`; sku.syncStockBatch sets several SKUs of one product (product_id,
sku_sync_list of {sku_id, sku_type, stock_num}), all or none; sku.detail (sku_id) reads a SKU back with its stock_num.
Orders: a paid order is pushed (消息推送, tag 101) as a JSON array
of {tag, msg_id, data} naming the parent order `p_id`, with `event-sign` = md5(app_key + body +
app_secret); the hub then fetches it by order.orderDetail. order.searchList lists them by update time.
After-sale cases (douyin_aftersale.py): a tag 200 push names one, afterSale/Detail gives it. order.logisticsAdd
sends a whole order with its waybill (a known company_code, once); the order then shows 已发货.
Rate: per-API QPS is granted in the console, not published; the sandbox allows 10 calls/s (10 at
once) for stock and as much again for orders, answering code 50002 past it (HTTP 429 here).
"""

import json
import time
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import hmac_sha256_hex, md5_hex, same
from flexhub.sandbox.platform import Answer, PostsByPath, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.douyin_aftersale import case_detail
from flexhub.sandbox.platforms.douyin_orders import document, logistics_add, order_detail, search_list
from flexhub.sandbox.store import Order, Store

SUCCESS = 10000
OPERATIONS = {"/sku/syncStock": "stock", "/sku/syncStockBatch": "stock", "/sku/detail": "stock",
              "/order/searchList": "order", "/order/orderDetail": "order", "/afterSale/Detail": "order",
              "/order/logisticsAdd": "order"}
TIMESTAMP_WINDOW_S = 600


class Douyin(PostsByPath):
    name: ClassVar[str] = "douyin"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = True
    operations: ClassVar[dict[str, str]] = OPERATIONS
    limits: ClassVar[dict[str, RateLimit]] = {"stock": RateLimit(per_second=10, burst=10),
                                              "order": RateLimit(per_second=10, burst=10)}

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return _error(50002, "服务限流", "isp.service-flow-limited", "请求过于频繁，请稍后再试", status=429)

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        _authenticate(store, request)
        try:
            params = json.loads(request.body or b"{}")
        except ValueError:
            raise Refused(_error(40004, "参数错误", "isv.parameter-invalid", "param_json is not JSON")) from None
        if request.path == "/order/orderDetail":
            return order_detail(store, params)
        if request.path == "/afterSale/Detail":
            return case_detail(store, params)
        if request.path == "/order/logisticsAdd":
            return logistics_add(store, params)
        if operation == "order":
            return search_list(store, params)
        if request.path == "/sku/detail":
            return _sku_detail(store, params)
        if request.path == "/sku/syncStockBatch":
            return _sync_batch(store, params)
        key = params.get("idempotent_id")
        if key and key in store.remembered:
            return store.remembered[key]
        listing = (store.listing_by_item(f"{params.get('product_id')}:{params.get('sku_id')}") if params.get("sku_id")
                   else store.listing(params.get("code")))
        if listing is None or not isinstance(params.get("stock_num"), int) or params.get("incremental") is not False:
            raise Refused(_error(40004, "参数错误", "isv.parameter-invalid",
                                 "sku_id (or code), stock_num and incremental=false are required"))
        answer = Answer(200, {"code": SUCCESS, "msg": "success", "sub_code": "", "sub_msg": "", "data": {},
                              "log_id": buyer.new_secret(length=10)}, figures={listing.sku: params["stock_num"]})
        if key:
            store.remembered[key] = Answer(answer.status, answer.body)
        return answer

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"app_key": "7" + str(abs(len(code) * 7919)).zfill(18), "app_secret": buyer.new_secret(),
                "access_token": buyer.new_secret(), "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return f"{3600000000000000000 + index // 4}:{1750000000000000 + index}", None

    def order_id(self, number: int) -> str:
        return str(6920000000000000000 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        data = {"p_id": int(order.external_id),
                "s_ids": [int(f"{order.external_id}{n}") for n in range(len(order.lines))],
                "shop_id": 4463798, "biz": 1, "order_status": 2, "order_type": 0,
                "pay_time": int(order.placed_at.timestamp()), "update_time": int(order.updated_at.timestamp())}
        body = json.dumps([{"tag": "101", "msg_id": f"{order.number}", "data": json.dumps(data)}]).encode()
        credentials = store.credentials
        sign = md5_hex(credentials["app_key"].encode() + body + credentials["app_secret"].encode())
        headers = {"Content-Type": "application/json", "event-sign": sign, "app-id": credentials["app_key"],
                   "sign-method": "MD5"}
        return Webhook(f"/webhooks/douyin/{store.code}", headers, body)


def _sync_batch(store: Store, params: dict[str, Any]) -> Answer:
    """All or none: every entry must name a SKU of the product with a whole stock_num."""
    entries = params.get("sku_sync_list")
    if not isinstance(entries, list) or not entries or params.get("incremental") is not False:
        raise Refused(_error(40004, "参数错误", "isv.parameter-invalid",
                             "product_id, sku_sync_list and incremental=false are required"))
    figures = {}
    for entry in entries:
        listing = store.listing_by_item(f"{params.get('product_id')}:{entry.get('sku_id')}")
        if listing is None or not isinstance(entry.get("stock_num"), int) or entry.get("sku_type", 0) != 0:
            raise Refused(_error(40004, "参数错误", "isv.parameter-invalid",
                                 f"sku_id {entry.get('sku_id')} is not a SKU of product {params.get('product_id')}"))
        figures[listing.sku] = entry["stock_num"]
    return Answer(200, {"code": SUCCESS, "msg": "success", "sub_code": "", "sub_msg": "", "data": {},
                        "log_id": buyer.new_secret(length=10)}, figures=figures)


def _sku_detail(store: Store, params: dict[str, Any]) -> Answer:
    listing = next((x for x in store.listings.values() if (x.item_id or "").endswith(f":{params.get('sku_id')}")),
                   None) if params.get("sku_id") else store.listing(params.get("code"))
    if listing is None:
        raise Refused(_error(40004, "参数错误", "isv.parameter-invalid", "sku not found"))
    product_id, _, sku_id = (listing.item_id or "").partition(":")
    data = {"id": int(sku_id), "product_id": int(product_id), "code": listing.sku, "stock_num": listing.quantity}
    return Answer(200, {"code": SUCCESS, "msg": "success", "sub_code": "", "sub_msg": "", "data": data,
                        "log_id": buyer.new_secret(length=10)})


def _authenticate(store: Store, request: Received) -> None:
    query, credentials = request.query, store.credentials
    if query.get("app_key") != credentials["app_key"] or query.get("v") != "2":
        raise Refused(_error(30001, "app_key或版本错误", "isv.app-key-invalid", "unknown app_key"))
    if query.get("method", "").replace(".", "/") != request.path.lstrip("/"):
        raise Refused(_error(40004, "参数错误", "isv.method-mismatch", "method does not match the path"))
    timestamp = query.get("timestamp") or ""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TIMESTAMP_WINDOW_S:
        raise Refused(_error(30002, "时间戳过期", "isv.timestamp-invalid", "timestamp is off"))
    secret, body = credentials["app_secret"], request.body.decode()
    text = (f"{secret}app_key{query['app_key']}method{query['method']}param_json{body}"
            f"timestamp{timestamp}v2{secret}")
    method = query.get("sign_method", "md5")
    expected = hmac_sha256_hex(secret, text) if method == "hmac-sha256" else md5_hex(text) if method == "md5" else ""
    if not expected or not same(expected, query.get("sign")):
        raise Refused(_error(30004, "签名错误", "isv.sign-invalid", "sign does not match"))
    if query.get("access_token") != credentials["access_token"]:
        raise Refused(_error(30005, "access_token无效", "isv.access-token-invalid", "access_token is not valid"))


def _error(code: int, message: str, sub_code: str, sub_message: str, status: int = 200) -> Answer:
    return Answer(status, {"code": code, "msg": message, "sub_code": sub_code, "sub_msg": sub_message, "data": {},
                           "log_id": buyer.new_secret(length=10)})


PLATFORM = Douyin()

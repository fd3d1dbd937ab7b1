"""`wechat`: a 微信小店 (WeChat Channels shop), as flexhub.channels.platforms.wechat calls it.

Every call is `POST /channels/ec/...?access_token=…` with a JSON body, answered HTTP 200 with
`errcode` 0, or another errcode (40001 for a token that is not the shop's current one).
Stock: /channels/ec/product/stock/update {product_id, sku_id, diff_type (1 add, 2 subtract, 3 set),
num}, one SKU a call; /channels/ec/product/stock/get {product_id, sku_id} reads it back.
Orders: a new one is pushed (channels_ec_order_new, safe mode: wechat_push)
naming it, and the hub fetches it with /channels/ec/order/get; /channels/ec/order/list/get names the
orders updated in a window (next_key paging), as polling reads them (wechat_orders); /channels/ec/order/delivery/send
takes the seller's parcels of an order (delivery_id, waybill_id, the products each holds) and marks it 待收货.
Rate: WeChat publishes daily quotas (/cgi-bin/openapi/quota/get) rather than a per-second rate;
the sandbox allows 10 calls/s (10 at once) for stock and as much again for orders, answering
errcode 45011 "api minute-quota reach limit" past it (HTTP 429 here).
"""

from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.signing import same
from flexhub.sandbox.platform import Answer, PostsByPath, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.platforms.wechat_orders import delivery_send, document, order_get, order_list
from flexhub.sandbox.platforms.wechat_push import order_push
from flexhub.sandbox.store import Order, Store

STOCK = "/channels/ec/product/stock/update"
STOCK_GET = "/channels/ec/product/stock/get"
DELIVERY = "/channels/ec/order/delivery/send"
OPERATIONS = {STOCK: "stock", STOCK_GET: "stock", "/channels/ec/order/list/get": "order",
              "/channels/ec/order/get": "order", DELIVERY: "order"}
ADD, SUBTRACT, SET = 1, 2, 3


class Wechat(PostsByPath):
    name: ClassVar[str] = "wechat"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = True
    operations: ClassVar[dict[str, str]] = OPERATIONS
    limits: ClassVar[dict[str, RateLimit]] = {"stock": RateLimit(per_second=10, burst=10),
                                              "order": RateLimit(per_second=10, burst=10)}

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, {"errcode": 45011, "errmsg": "api minute-quota reach limit mustslower retry next minute"})

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        if not same(store.credentials["access_token"], request.query.get("access_token")):
            raise Refused(_error(40001, "invalid credential, access_token is invalid or not latest"))
        body = request.json() or {}
        if request.path == STOCK_GET:
            return _stock_get(store, body)
        if request.path == DELIVERY:
            return delivery_send(store, body)
        if request.path != STOCK:
            return order_list(store, body) if request.path.endswith("/list/get") else order_get(store, body)
        listing = store.listing_by_item(f"{body.get('product_id')}:{body.get('sku_id')}")
        number, kind = body.get("num"), body.get("diff_type")
        if listing is None:
            raise Refused(_error(10020007, "sku not exist"))
        if not isinstance(number, int) or number < 0 or kind not in (ADD, SUBTRACT, SET):
            raise Refused(_error(47001, "data format error: num and diff_type"))
        quantity = {ADD: listing.quantity + number, SUBTRACT: listing.quantity - number, SET: number}[kind]
        if quantity < 0:
            raise Refused(_error(10020050, "stock not enough to subtract"))
        return Answer(200, {"errcode": 0, "errmsg": "ok"}, figures={listing.sku: quantity})

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"appid": buyer.new_secret("wx", 8), "appsecret": buyer.new_secret(), "access_token": buyer.new_secret(),
                "token": buyer.new_secret(length=8), "encoding_aes_key": buyer.new_secret(length=22)[:43],
                "base_url": base_url}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return f"{324545 + index // 4}:{9328425 + index}", None

    def order_id(self, number: int) -> str:
        return str(3705115058471208928 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        return order_push(store.code, store.credentials, order.external_id)


def _stock_get(store: Store, body: dict[str, Any]) -> Answer:
    listing = store.listing_by_item(f"{body.get('product_id')}:{body.get('sku_id')}")
    if listing is None:
        raise Refused(_error(10020007, "sku not exist"))
    return Answer(200, {"errcode": 0, "errmsg": "ok", "data": {
        "normal_stock_num": listing.quantity, "limited_discount_stock_num": 0, "total_stock_num": listing.quantity}})


def _error(code: int, message: str) -> Answer:
    return Answer(200, {"errcode": code, "errmsg": message})


PLATFORM = Wechat()

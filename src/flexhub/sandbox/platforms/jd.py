"""`jd`: a JD POP seller behind JOS's router (/routerjson), as flexhub.channels.platforms.jd calls it.

JOS copies TOP (router): one signed POST with method, app_key, access_token, timestamp (Beijing
time), v=2.0, sign_method=md5 and the API's parameters as one JSON string, `360buy_param_json`.
Refusals are HTTP 200 with an `error_response` {code, zh_desc, en_desc}; answers are wrapped in
"<method with _ for .>_responce" (JD's spelling). Stock: jingdong.stock.write.updateSkuStock sets one
SKU (skuId, stockNum); jingdong.stock.read.findSkuStock (skuId) reads it back.
Orders are polled: jingdong.pop.order.search by modification time (dateType 0,
oldest first, whole orders), one month at most; JD has no signed HTTP push for POP orders.
Shipping: jingdong.pop.order.shipment (orderId, logiCoprId: JD's carrier id, logiNo) ships the whole order once.
Rate: JOS sets quotas per app and API in its console; the sandbox allows 10 calls/s (10 at once)
for stock and as much again for orders, and answers past it as TOP does (HTTP 429 here).
"""

import json
from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.platforms.jd_orders import document, order_search, order_shipment
from flexhub.sandbox.store import Order, Store

PATH = "/routerjson"
OPERATIONS = {"jingdong.stock.write.updateSkuStock": "stock", "jingdong.stock.read.findSkuStock": "stock",
              "jingdong.pop.order.search": "order", "jingdong.pop.order.shipment": "order"}


class Jd(OneTokenACall):
    name: ClassVar[str] = "jd"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = False
    limits: ClassVar[dict[str, RateLimit]] = {"stock": RateLimit(per_second=10, burst=10),
                                              "order": RateLimit(per_second=10, burst=10)}

    def operation(self, request: Received) -> str | None:
        if (request.method, request.path) != ("POST", PATH):
            return None
        return OPERATIONS.get(router.parameters(request).get("method") or "")

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return Answer(429, error(7, "App Call Limited").body)

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        params, credentials = router.parameters(request), store.credentials
        router.check(params, credentials["app_secret"], app_key=credentials["app_key"], token_name="access_token",
                     token=credentials["access_token"], refuse=error)
        try:
            business = json.loads(params.get("360buy_param_json") or "{}")
        except ValueError:
            raise Refused(error(41, "360buy_param_json is not JSON")) from None
        if params.get("method") == "jingdong.pop.order.shipment":
            return order_shipment(store, business)
        if operation == "order":
            return order_search(store, business)
        listing = store.listing_by_item(str(business.get("skuId")))
        if params.get("method") == "jingdong.stock.read.findSkuStock":
            if listing is None:
                raise Refused(error(41, "skuId does not exist"))
            return Answer(200, {"jingdong_stock_read_findSkuStock_responce": {"code": "0", "skuStocks": [
                {"skuId": int(listing.platform_id), "stockNum": listing.quantity}]}})
        if listing is None or not isinstance(business.get("stockNum"), int):
            raise Refused(error(41, "skuId does not exist, or stockNum is not a number"))
        return Answer(200, {"jingdong_stock_write_updateSkuStock_responce": {"code": "0", "success": True}},
                      figures={listing.sku: business["stockNum"]})

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"app_key": buyer.new_secret(length=16).upper(), "app_secret": buyer.new_secret(),
                "access_token": buyer.new_secret(), "base_url": base_url + PATH}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return str(100012043978 + index), None

    def order_id(self, number: int) -> str:
        return str(230000000000 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return document(order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        raise NotImplementedError("JD POP orders are polled")


def error(code: int, message: str) -> Answer:
    return Answer(200, {"error_response": {"code": str(code), "zh_desc": message, "en_desc": message}})


PLATFORM = Jd()

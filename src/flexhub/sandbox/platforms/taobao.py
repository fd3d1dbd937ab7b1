"""`taobao`: a Taobao/Tmall seller behind TOP's router, as flexhub.channels.platforms.taobao calls it.

One path, POST /router/rest; `method` names the API and the call is signed as every TOP call is
(router). Stock: taobao.skus.quantity.update (num_iid, skuid_quantities "sku_id:quantity;...", at most
20, type 1 = set, 2 = add) and taobao.item.quantity.update for an item without SKUs;
taobao.item.seller.get (num_iid, fields) reads an item's SKUs and quantities back. Orders are
polled: taobao.trades.sold.increment.get lists trades modified in [start_modified, end_modified]
(one day at most, newest first, has_next), taobao.trade.fullinfo.get gives one whole (taobao_trades), and
taobao.logistics.offline.send ships it (or some of its sub-orders) with the seller's own waybill.
Rate: TOP grants each app a call quota per API in its console and publishes no one figure; the
sandbox allows 10 calls/s (10 at once) for stock and as much again for trades, and answers a call
past it with error 7 "App Call Limited" and the ban's length (HTTP 429 here).
"""

from typing import Any, ClassVar

from flexhub.integrations.ratelimit import RateLimit
from flexhub.kernel import clock
from flexhub.sandbox.platform import Answer, OneTokenACall, Received, Refused, Webhook
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.platforms.taobao_refunds import refund
from flexhub.sandbox.platforms.taobao_trades import full_trade, offline_send, sold_increment, trade
from flexhub.sandbox.store import Order, Store

PATH = "/router/rest"
STOCK = ("taobao.skus.quantity.update", "taobao.item.quantity.update", "taobao.item.seller.get")
TRADES = ("taobao.trades.sold.increment.get", "taobao.trade.fullinfo.get", "taobao.refund.get",
          "taobao.logistics.offline.send")
MAX_SKUS = 20


class Taobao(OneTokenACall):
    name: ClassVar[str] = "taobao"
    currency: ClassVar[str] = "CNY"
    pushes_orders: ClassVar[bool] = False
    limits: ClassVar[dict[str, RateLimit]] = {"stock": RateLimit(per_second=10, burst=10),
                                              "trade": RateLimit(per_second=10, burst=10)}

    def operation(self, request: Received) -> str | None:
        if (request.method, request.path) != ("POST", PATH):
            return None
        method = router.parameters(request).get("method")
        return "stock" if method in STOCK else "trade" if method in TRADES else None

    def throttled(self, operation: str, retry_after: float) -> Answer:
        return router.throttled(retry_after)

    def handle(self, store: Store, operation: str, request: Received) -> Answer:
        params = router.parameters(request)
        credentials = store.credentials
        router.check(params, credentials["app_secret"], app_key=credentials["app_key"], token_name="session",
                     token=credentials["session"])
        method = params["method"]
        if method == "taobao.item.seller.get":
            return _item(store, params)
        if method == "taobao.trades.sold.increment.get":
            return sold_increment(store, params)
        if method == "taobao.trade.fullinfo.get":
            return full_trade(store, params)
        if method == "taobao.refund.get":
            return refund(store, params)
        if method == "taobao.logistics.offline.send":
            return offline_send(store, params)
        pairs = _pairs(params) if method == "taobao.skus.quantity.update" else _item_pair(store, params)
        if params.get("type", "1") != "1":
            raise Refused(router.error(41, "Invalid arguments", "isv.invalid-parameter:type",
                                       "the sandbox sets quantities (type=1) only"))
        figures, skus = {}, []
        for sku_id, quantity in pairs:
            listing = store.listing_by_item(f"{params.get('num_iid')}:{sku_id}" if sku_id else str(params["num_iid"]))
            if listing is None:
                raise Refused(router.error(15, "Remote service error", "isv.item-not-exist",
                                           f"sku {sku_id} of item {params.get('num_iid')} does not exist"))
            figures[listing.sku] = quantity
            skus.append({"sku_id": int(sku_id or 0), "quantity": quantity, "modified": router.beijing(clock.now())})
        key = method.removeprefix("taobao.").replace(".", "_") + "_response"
        item = {"num_iid": int(params["num_iid"]), "modified": router.beijing(clock.now()), "skus": {"sku": skus}}
        return Answer(200, {key: {"item": item}}, figures=figures)

    def credentials(self, code: str, base_url: str, hub_url: str) -> dict[str, str]:
        return {"app_key": str(21000000 + len(code)), "app_secret": buyer.new_secret(), "base_url": base_url + PATH,
                "session": buyer.new_secret("6100", 20)}

    def listing_ids(self, index: int) -> tuple[str | None, str | None]:
        return f"{620000001234 + index // 4}:{4500000000001 + index}", None

    def order_id(self, number: int) -> str:
        return str(3300000000000000 + number)

    def document(self, store: Store, order: Order) -> dict[str, Any]:
        return trade(order)

    def webhook(self, store: Store, order: Order) -> Webhook:
        raise NotImplementedError("TOP trades are polled (TMC messages travel over the app's own connection)")


def _item(store: Store, params: dict[str, str]) -> Answer:
    num_iid = params.get("num_iid") or ""
    skus: list[dict[str, Any]] = [{"sku_id": int(x.platform_id.partition(":")[2]), "quantity": x.quantity,
                                   "outer_id": x.sku}
            for x in store.listings.values() if (x.item_id or "").partition(":")[0] == num_iid]
    if not skus:
        raise Refused(router.error(15, "Remote service error", "isv.item-not-exist", f"item {num_iid} does not exist"))
    item = {"num_iid": int(num_iid), "num": sum(s["quantity"] for s in skus), "skus": {"sku": skus}}
    return Answer(200, {"item_seller_get_response": {"item": item}})


def _pairs(params: dict[str, str]) -> list[tuple[str, int]]:
    text = params.get("skuid_quantities") or ""
    try:
        pairs = [(sku, int(quantity)) for sku, _, quantity in (part.partition(":") for part in text.split(";") if part)]
    except ValueError:
        raise Refused(router.error(41, "Invalid arguments", "isv.invalid-parameter:skuid_quantities")) from None
    if not 0 < len(pairs) <= MAX_SKUS:
        raise Refused(router.error(41, "Invalid arguments", "isv.invalid-parameter:skuid_quantities",
                                   f"1 to {MAX_SKUS} SKUs a call"))
    return pairs


def _item_pair(store: Store, params: dict[str, str]) -> list[tuple[str, int]]:
    if not (params.get("quantity") or "").lstrip("-").isdigit():
        raise Refused(router.error(40, "Missing required arguments", "isv.missing-parameter:quantity"))
    return [(params.get("sku_id") or "", int(params["quantity"]))]


PLATFORM = Taobao()

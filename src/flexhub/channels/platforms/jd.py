"""`jd`: JD's open platform for POP (third-party) sellers, JOS (https://jos.jd.com).

JOS speaks TOP's protocol: one signed POST to the router with method, app_key, access_token,
timestamp (Beijing time), format=json, v=2.0, sign_method=md5 and the API's own parameters as ONE
JSON string, `360buy_param_json`; sign = uppercase MD5(secret + parameters sorted by name as
name+value + secret), exactly TOP's md5 sign.

Orders: jingdong.pop.order.search by modification time (dateType=0) returns whole orders (the fields
named in optional_fields), so its page goes straight to `parse_order`; a window is at most one month,
page_size ≤ 100, oldest first (sortType=0). Its answer does not say which page it is, so the cursor is
the newest `modified` seen and the next request starts there (orders of that second come again;
intake is idempotent). jingdong.pop.order.get fetches one order by id (`signed_request`) if needed.
JD has no signed HTTP push for POP orders here: polling only, and `verify_webhook` refuses every call.

Stock: jingdong.stock.write.updateSkuStock sets one SKU (skuId, stockNum, optional storeId) a call.
Stock read (reconciliation): jingdong.stock.read.findSkuStock (skuId; the name and parameter as JD's
SDK declares them), whose answer lists the SKU's `skuId` and `stockNum` under
`jingdong_stock_read_findSkuStock_responce`: the answer's shape is ours, not a published sample.
Shipment: jingdong.pop.order.shipment (orderId, logiCoprId = JD's carrier id, logiNo = waybill) ships
the whole order.
"""

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
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
from flexhub.channels.platforms.taobao import top_sign
from flexhub.integrations.beijing import beijing_moment, beijing_text, beijing_time
from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid
from flexhub.kernel import clock
from flexhub.kernel.money import to_minor

PRODUCTION = "https://api.jd.com/routerjson"
CURRENCY = "CNY"
PAGE_SIZE = 100
MAX_WINDOW = timedelta(days=30)
ORDER_FIELDS = ",".join((
    "orderId", "venderId", "orderType", "payType", "orderTotalPrice", "orderSellerPrice", "orderPayment",
    "freightPrice", "sellerDiscount", "orderState", "orderStateRemark", "orderRemark", "orderStartTime",
    "orderEndTime", "paymentConfirmTime", "modified", "consigneeInfo", "itemInfoList", "couponDetailList",
    "venderRemark", "balanceUsed", "pin", "open_id_buyer", "waybill", "logisticsId",
))
SEARCHED_STATES = ",".join((
    "WAIT_SELLER_STOCK_OUT", "WAIT_SELLER_DELIVERY", "WAIT_GOODS_RECEIVE_CONFIRM", "FINISHED_L", "TRADE_CANCELED",
    "LOCKED", "PAUSE",
))

# orderState as JD's SDK documents it for pop.order.search / pop.order.get.
STATUSES = {
    "WAIT_SELLER_STOCK_OUT": "paid",  # 等待出库
    "WAIT_SELLER_DELIVERY": "paid",  # 等待发货 (cross-border sellers)
    "PAUSE": "paid",  # 暂停
    "POP_ORDER_PAUSE": "paid",
    "LOCKED": "paid",  # 已锁定, e.g. while a cancellation request is decided: hold, do not ship
    "WAIT_SEND_CODE": "paid",  # 等待发码 (vouchers)
    "SEND_TO_DISTRIBUTION_CENER": "shipped",  # 发往配送中心 (LBP/SOPL), JD's spelling
    "DISTRIBUTION_CENTER_RECEIVED": "shipped",  # 配送中心已收货 (LBP/SOPL)
    "WAIT_GOODS_RECEIVE_CONFIRM": "shipped",  # 等待确认收货
    "RECEIPTS_CONFIRM": "delivered",  # 收款确认 (LBP/SOPL)
    "FINISHED_L": "delivered",  # 完成
    "TRADE_CANCELED": "cancelled",  # 取消
}
# The hub's carriers by JD's logiCoprId. JD's own word on the field ("物流公司ID(只可通过获取商家物流公司接口获得)",
# jingdong.pop.order.shipment in JOS's SDK) is that the ids come from the seller's carrier list, which JOS serves to a
# shop's app only; these are the ids JD POP integrations use for the national carriers (顺丰速运 467, 中通快递 1499,
# 京东快递 2087: e.g. a Nexora JD adapter's CARRIER_ID_MAP, and 2087 as JD's own courier in a Java ERP's COD path),
# not a list JD publishes. Any other carrier must already be JD's id; the sandbox refuses an id it does not know.
CARRIER_IDS = {"sf_express": "467", "zto": "1499", "jd_logistics": "2087"}


class JdAdapter:
    platform: ClassVar[str] = "jd"
    credential_fields: ClassVar[tuple[str, ...]] = ("app_key", "app_secret", "access_token")
    # JOS sets call quotas per app and API in its console rather than publishing one rate.
    rate_limit: ClassVar[RateLimit] = RateLimit(per_second=10, burst=10, stock_batch=1)
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer_errors"})
    stock_by_difference: ClassVar[bool] = False

    def verify_webhook(self, credentials: Mapping[str, str], headers: Mapping[str, str], body: bytes) -> None:
        raise SignatureInvalid("JD POP orders are polled; there is no signed push to accept")

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> Sequence[OrderReference]:
        return []

    def parse_order(self, payload: Mapping[str, Any]) -> ChannelOrder:
        lines = tuple(_line(item) for item in payload["itemInfoList"])
        shipping = to_minor(payload.get("freightPrice") or 0, CURRENCY)
        net = sum(line.unit_price * line.quantity for line in lines)
        # JD gives no per-line discount here: all between the goods and what the buyer pays is the order's.
        paid = payload.get("orderPayment")
        order_discount = max(0, net + shipping - to_minor(paid, CURRENCY)) if paid is not None else 0
        consignee = payload.get("consigneeInfo") or {}  # absent on cancelled and locked orders
        return ChannelOrder(
            external_id=str(payload["orderId"]), status=_status(payload["orderState"]),
            platform_status=payload["orderState"], currency=CURRENCY, lines=lines,
            buyer=_present(name=consignee.get("fullname") or payload.get("pin"),
                           phone=consignee.get("mobile") or consignee.get("telephone"),
                           external_id=payload.get("open_id_buyer") or payload.get("pin")),
            shipping_address=_present(
                country="CN", province=consignee.get("province"), city=consignee.get("city"),
                district=consignee.get("county"), town=consignee.get("town"), line1=consignee.get("fullAddress")),
            shipping_fee=shipping, order_discount=order_discount,
            placed_at=beijing_time(payload.get("orderStartTime")), updated_at=beijing_time(payload.get("modified")),
        )

    def orders_request(self, credentials: Mapping[str, str], since: datetime, until: datetime,
                       cursor: str | None) -> ApiRequest:
        if until - since > MAX_WINDOW:
            raise ValueError("jingdong.pop.order.search takes a window of at most one month")
        return signed_request(credentials, "jingdong.pop.order.search", {
            "start_date": cursor or beijing_text(since), "end_date": beijing_text(until),
            "order_state": SEARCHED_STATES, "optional_fields": ORDER_FIELDS, "page": "1",
            "page_size": str(PAGE_SIZE), "sortType": "0", "dateType": "0"})

    def parse_orders_page(self, payload: Mapping[str, Any], headers: Mapping[str, str]) -> OrdersPage:
        result = _answer(payload, "jingdong_pop_order_search_responce").get("searchorderinfo_result") or {}
        if (result.get("apiResult") or {}).get("success") is False:
            raise UnreadablePayload(f"JD answered {result['apiResult'].get('englishErrCode')}")
        orders = result.get("orderInfoList") or []
        more = int(result.get("orderTotal") or 0) > len(orders)
        return OrdersPage(tuple(orders), _later_start(orders) if more and orders else None)

    def response_error(self, payload: Mapping[str, Any]) -> str | None:
        """JOS answers HTTP 200 to a refused call, with an `error_response`; a shipment refused says so in its own
        result (sopjosshipment_result.success false)."""
        error = payload.get("error_response")
        if error:
            return f"JOS {error.get('code')}: {error.get('zh_desc') or error.get('en_desc')}"
        shipped = (payload.get("jingdong_pop_order_shipment_responce") or {}).get("sopjosshipment_result") or {}
        if shipped.get("success") is False:
            words = shipped.get("chineseErrCode") or shipped.get("englishErrCode")
            return f"JOS shipment {shipped.get('errorCode')}: {words}"
        return None

    def stock_requests(self, credentials: Mapping[str, str], pushes: Sequence[StockPush]) -> list[ApiRequest]:
        return [signed_request(credentials, "jingdong.stock.write.updateSkuStock", _stock(push)) for push in pushes]

    def stock_read_requests(self, credentials: Mapping[str, str], listings: Sequence[ListingRef]) -> list[StockRead]:
        return [StockRead(signed_request(credentials, "jingdong.stock.read.findSkuStock",
                                         {"skuId": _stock(ref)["skuId"]}), (ref,)) for ref in listings]

    def parse_stock(self, payload: Any, listings: Sequence[ListingRef]) -> dict[str, int]:
        if error := self.response_error(payload):
            raise ValueError(error)
        answer = payload.get("jingdong_stock_read_findSkuStock_responce") or {}
        held = {str(s["skuId"]): int(s["stockNum"]) for s in answer.get("skuStocks", ()) if "stockNum" in s}
        return {ref.external_sku: held[ref.external_item_id] for ref in listings if ref.external_item_id in held}

    def shipment_request(self, credentials: Mapping[str, str], notice: ShipmentNotice) -> ApiRequest:
        if notice.lines and not notice.whole:
            raise ValueError("jingdong.pop.order.shipment ships the whole order")
        return signed_request(credentials, "jingdong.pop.order.shipment", {
            "orderId": notice.external_id, "logiCoprId": CARRIER_IDS.get(notice.carrier, notice.carrier),
            "logiNo": notice.tracking_number})


def signed_request(credentials: Mapping[str, str], method: str, params: Mapping[str, Any]) -> ApiRequest:
    """One JOS call: the API's parameters as 360buy_param_json, with the system ones and their sign."""
    signed = {"method": method, "app_key": credentials["app_key"], "access_token": credentials["access_token"],
              "timestamp": beijing_text(clock.now()), "format": "json", "v": "2.0", "sign_method": "md5",
              "360buy_param_json": json.dumps(params, separators=(",", ":"), ensure_ascii=False)}
    signed["sign"] = top_sign(signed, credentials["app_secret"], "md5")
    return ApiRequest("POST", credentials.get("base_url", PRODUCTION), params=signed)


def _later_start(orders: Sequence[Mapping[str, Any]]) -> str:
    """The next page's start_date: the newest `modified` of this page (its format sorts as text).

    A full page all within one second cannot move the start by itself; it steps on a second and so
    misses that second's orders past the 100th: 100 changes to one shop's orders in one second.
    """
    oldest, newest = min(o["modified"] for o in orders), max(o["modified"] for o in orders)
    if oldest < newest:
        return newest
    return beijing_text(beijing_moment(newest) + timedelta(seconds=1))


def _line(item: Mapping[str, Any]) -> ChannelLine:
    return ChannelLine(
        external_sku=item.get("outerSkuId") or str(item["skuId"]), quantity=int(item["itemTotal"]),
        unit_price=to_minor(item["jdPrice"], CURRENCY), external_item_id=str(item["skuId"]),
        title=item.get("skuName"),
    )


def _stock(push: StockPush | ListingRef) -> dict[str, Any]:
    if not push.external_item_id:
        raise ValueError(f"JD stock for {push.external_sku} needs the listing's skuId")
    params = {"skuId": int(push.external_item_id), "stockNum": getattr(push, "quantity", None)}
    return params | {"storeId": int(push.location_id)} if push.location_id else params


def _answer(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    if "error_response" in payload:
        error = payload["error_response"]
        raise UnreadablePayload(f"JOS answered {error.get('code')}: {error.get('zh_desc') or error.get('en_desc')}")
    return payload.get(name, payload)


def _status(platform_status: str) -> str:
    if platform_status not in STATUSES:
        raise UnreadablePayload(f"unknown JD order state {platform_status!r}")
    return STATUSES[platform_status]


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "")}

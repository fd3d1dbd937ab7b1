"""JD POP orders as jingdong.pop.order.search returns them (whole orders, Beijing times)."""

from datetime import timedelta
from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.store import Order, Store

MAX_WINDOW = timedelta(days=31)
# Some of JD's carrier ids (logiCoprId), as the hub's JD adapter maps its carriers (channels/platforms/jd.py).
CARRIER_IDS = {"467", "1499", "2087", "463", "470", "1327", "465", "1274"}


def order_search(store: Store, business: dict[str, Any]) -> Answer:
    """Orders modified in [start_date, end_date] (whole seconds), oldest first, page by number."""
    try:
        since, until = router.from_beijing(business["start_date"]), router.from_beijing(business["end_date"])
        size, page = int(business.get("page_size") or 20), int(business.get("page") or 1)
    except (KeyError, ValueError):
        return _failed("start_date and end_date are yyyy-MM-dd HH:mm:ss")
    if until - since > MAX_WINDOW or not 1 <= size <= 100:
        return _failed("a window of one month at most, page_size 1-100")
    chosen = [o for o in store.orders_between(None, None) if since <= o.updated_at.replace(microsecond=0) <= until]
    shown = chosen[(page - 1) * size: page * size]
    result = {"apiResult": {"success": True, "code": "0", "englishErrCode": "SUCCESS"},
              "orderInfoList": [document(order) for order in shown], "orderTotal": len(chosen)}
    return Answer(200, {"jingdong_pop_order_search_responce": {"code": "0", "searchorderinfo_result": result}})


def order_shipment(store: Store, business: dict[str, Any]) -> Answer:
    """jingdong.pop.order.shipment: the whole order out with one waybill, once. A refusal is the call's own result
    (sopjosshipment_result.success false, with an error code and its Chinese and English words: the shape JD
    integrations read; the codes and words here are the sandbox's own, JD publishes no list of them)."""
    order = store.orders.get(str(business.get("orderId")))
    carrier, waybill = str(business.get("logiCoprId") or ""), str(business.get("logiNo") or "")
    if order is None:
        return _shipment(False, "sandbox-1", "订单不存在", "order not found")
    if carrier not in CARRIER_IDS:
        return _shipment(False, "sandbox-2", "物流公司ID不正确", "invalid logiCoprId")
    if not waybill and carrier != "1274":  # 厂家自送 ships without a waybill
        return _shipment(False, "sandbox-3", "运单号不能为空", "logiNo is required")
    if order.status == "shipped":
        return _shipment(False, "sandbox-4", "订单已出库，不能重复发货", "order already shipped")
    order.shipments.append({"carrier": carrier, "tracking_number": waybill,
                            "lines": [{"line": line.listing.platform_id, "quantity": line.quantity}
                                      for line in order.lines]})
    order.status = "shipped"
    return _shipment(True, "0", "成功", "success")


def _shipment(success: bool, code: str, chinese: str, english: str) -> Answer:
    result = {"success": success, "errorCode": code, "chineseErrCode": chinese, "englishErrCode": english}
    return Answer(200, {"jingdong_pop_order_shipment_responce": {"code": "0", "sopjosshipment_result": result}})


def document(order: Order) -> dict[str, Any]:
    total = buyer.money(sum(line.listing.price * line.quantity for line in order.lines))
    return {
        "orderId": order.external_id, "venderId": "10086", "orderType": "22", "payType": "4-在线支付",
        "orderTotalPrice": total, "orderSellerPrice": total, "orderPayment": total, "freightPrice": "0.00",
        "sellerDiscount": "0.00", **_state(order),
        "orderStartTime": router.beijing(order.placed_at), "modified": router.beijing(order.updated_at),
        "pin": "jd_linwei", "open_id_buyer": "o-sandbox-linwei",
        "consigneeInfo": {"fullname": buyer.NAME, "mobile": buyer.PHONE, "province": buyer.PROVINCE, "city": buyer.CITY,
                          "county": buyer.DISTRICT, "town": "", "fullAddress": buyer.STREET},
        "itemInfoList": [{"skuId": line.listing.item_id, "outerSkuId": line.listing.sku,
                          "skuName": f"Sandbox item {line.listing.sku}", "jdPrice": buyer.money(line.listing.price),
                          "itemTotal": str(line.quantity), "wareId": "100012"} for line in order.lines],
    }


def _state(order: Order) -> dict[str, str]:
    if order.status == "shipped":
        return {"orderState": "WAIT_GOODS_RECEIVE_CONFIRM", "orderStateRemark": "等待确认收货"}
    return {"orderState": "WAIT_SELLER_STOCK_OUT", "orderStateRemark": "等待出库"}


def _failed(message: str) -> Answer:
    result = {"apiResult": {"success": False, "code": "1", "englishErrCode": message}, "orderInfoList": []}
    return Answer(200, {"jingdong_pop_order_search_responce": {"code": "0", "searchorderinfo_result": result}})

"""JD POP orders as jingdong.pop.order.search returns them (whole orders, Beijing times)."""

from datetime import timedelta
from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.store import Order, Store

MAX_WINDOW = timedelta(days=31)


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


def document(order: Order) -> dict[str, Any]:
    total = buyer.money(sum(line.listing.price * line.quantity for line in order.lines))
    return {
        "orderId": order.external_id, "venderId": "10086", "orderType": "22", "payType": "4-在线支付",
        "orderTotalPrice": total, "orderSellerPrice": total, "orderPayment": total, "freightPrice": "0.00",
        "sellerDiscount": "0.00", "orderState": "WAIT_SELLER_STOCK_OUT", "orderStateRemark": "等待出库",
        "orderStartTime": router.beijing(order.placed_at), "modified": router.beijing(order.updated_at),
        "pin": "jd_linwei", "open_id_buyer": "o-sandbox-linwei",
        "consigneeInfo": {"fullname": buyer.NAME, "mobile": buyer.PHONE, "province": buyer.PROVINCE, "city": buyer.CITY,
                          "county": buyer.DISTRICT, "town": "", "fullAddress": buyer.STREET},
        "itemInfoList": [{"skuId": line.listing.item_id, "outerSkuId": line.listing.sku,
                          "skuName": f"Sandbox item {line.listing.sku}", "jdPrice": buyer.money(line.listing.price),
                          "itemTotal": str(line.quantity), "wareId": "100012"} for line in order.lines],
    }


def _failed(message: str) -> Answer:
    result = {"apiResult": {"success": False, "code": "1", "englishErrCode": message}, "orderInfoList": []}
    return Answer(200, {"jingdong_pop_order_search_responce": {"code": "0", "searchorderinfo_result": result}})

"""抖店 shop orders as order.searchList and order.orderDetail give them (amounts in integer fen)."""

from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

MAX_SIZE = 100
SHIPPED = 3  # order_status 已发货 (2 备货中)
# Some of /order/logisticsCompanyList's codes: what order.logisticsAdd takes as company_code.
COMPANY_CODES = {"shunfeng", "zhongtong", "yuantong", "yunda", "shentong", "jd", "ems", "youzhengguonei", "jtexpress"}


def search_list(store: Store, params: dict[str, Any]) -> Answer:
    """Orders updated in [update_time_start, update_time_end] (whole seconds), oldest first, page from 0."""
    since, until = params.get("update_time_start"), params.get("update_time_end")
    page, size = int(params.get("page") or 0), int(params.get("size") or 10)
    if not isinstance(since, int) or not isinstance(until, int) or not 1 <= size <= MAX_SIZE:
        return Answer(200, {"code": 40004, "msg": "参数错误", "sub_code": "isv.parameter-invalid",
                            "sub_msg": "update_time_start, update_time_end and size 1-100", "data": {}})
    chosen = [o for o in store.orders_between(None, None) if since <= int(o.updated_at.timestamp()) <= until]
    if params.get("order_asc") is False:
        chosen.reverse()
    shown = chosen[page * size:(page + 1) * size]
    data = {"shop_order_list": [document(order) for order in shown], "page": page, "size": size, "total": len(chosen)}
    return Answer(200, {"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "", "data": data})


def order_detail(store: Store, params: dict[str, Any]) -> Answer:
    order = store.orders.get(str(params.get("shop_order_id")))
    if order is None:
        return Answer(200, {"code": 40004, "msg": "参数错误", "sub_code": "isv.order-not-exist",
                            "sub_msg": "no such order", "data": {}})
    return Answer(200, {"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "",
                        "data": {"shop_order_detail": document(order)}})


def logistics_add(store: Store, params: dict[str, Any]) -> Answer:
    """order.logisticsAdd: the whole order sent with one waybill (company_code, logistics_code), once; the answers
    and sub_codes are the ones the call documents (isv.business-failed:60033 no such order, 60018 an unknown
    company, 60110 shipped already; isv.missing-parameter:60011 no company code)."""
    order = store.orders.get(str(params.get("order_id")))
    if order is None:
        return _refused(50002, "业务处理失败", "isv.business-failed:60033", "订单不存在，请仔细检查后重试。")
    code, waybill = params.get("company_code"), params.get("logistics_code")
    if not code:
        return _refused(40002, "缺少必选参数", "isv.missing-parameter:60011", "物流公司编码不允许为空。")
    if code not in COMPANY_CODES:
        return _refused(50002, "业务处理失败", "isv.business-failed:60018",
                        "暂不支持该物流公司或物流商已失效，请检查。")
    if not waybill:
        return _refused(40002, "缺少必选参数", "isv.missing-parameter:60036", "发货信息为空。")
    if order.status == "shipped":
        return _refused(50002, "业务处理失败", "isv.business-failed:60110", "订单已发货，不允许再次执行发货。")
    order.shipments.append({"carrier": code, "tracking_number": waybill,
                            "lines": [{"line": line.listing.platform_id, "quantity": line.quantity}
                                      for line in order.lines]})
    order.status = "shipped"
    return Answer(200, {"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "", "data": {}})


def _refused(code: int, message: str, sub_code: str, sub_message: str) -> Answer:
    return Answer(200, {"code": code, "msg": message, "sub_code": sub_code, "sub_msg": sub_message, "data": {}})


def _status(order: Order) -> dict[str, Any]:
    if order.status == "shipped":
        return {"order_status": SHIPPED, "order_status_desc": "已发货", "main_status": SHIPPED}
    return {"order_status": 2, "order_status_desc": "备货中", "main_status": 105}


def document(order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    place = {"province": {"name": buyer.PROVINCE, "id": "33"}, "city": {"name": buyer.CITY, "id": "330100"},
             "town": {"name": buyer.DISTRICT, "id": "330106"}, "street": {"name": "", "id": ""}}
    return {
        "order_id": order.external_id, **_status(order),
        "create_time": int(order.placed_at.timestamp()), "update_time": int(order.updated_at.timestamp()),
        "pay_time": int(order.placed_at.timestamp()), "order_amount": total, "pay_amount": total, "post_amount": 0,
        "doudian_open_id": "1@#sandbox", "mask_post_receiver": "林**", "mask_post_tel": "138****8000",
        "post_addr": {**place, "detail": buyer.STREET, "encrypt_detail": "#sandbox#"},
        "mask_post_addr": {**place, "detail": "文三路****"},
        "sku_order_list": [{
            "order_id": f"{order.external_id}{n}", "parent_order_id": order.external_id,
            "product_id": int(line.listing.platform_id.split(":")[0]),
            "sku_id": int(line.listing.platform_id.split(":")[1]),
            "out_sku_id": line.listing.sku, "code": line.listing.sku, "item_num": line.quantity,
            "origin_amount": line.listing.price, "promotion_amount": 0,
            "product_name": f"Sandbox item {line.listing.sku}",
            "pre_sale_type": 0,
        } for n, line in enumerate(order.lines)],
    }

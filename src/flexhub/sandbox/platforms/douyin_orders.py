"""抖店 shop orders as order.searchList and order.orderDetail give them (amounts in integer fen)."""

from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

MAX_SIZE = 100


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


def document(order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    place = {"province": {"name": buyer.PROVINCE, "id": "33"}, "city": {"name": buyer.CITY, "id": "330100"},
             "town": {"name": buyer.DISTRICT, "id": "330106"}, "street": {"name": "", "id": ""}}
    return {
        "order_id": order.external_id, "order_status": 2, "order_status_desc": "备货中", "main_status": 105,
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

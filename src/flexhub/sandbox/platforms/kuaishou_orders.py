"""Kuaishou shop orders: open.order.cursor.list and open.order.detail answers, the encrypted push, and the ship
call open.seller.order.goods.deliver.

The ship call as the open platform documents it (open.kwaixiaodian.com/zone/new/docs/api?name=
open.seller.order.goods.deliver&version=1, read in the official Java SDK's OpenSellerOrderGoodsDeliverRequest
and its mirror AndersonBY/kwaixiaodian-python-sdk): orderId, expressNo and expressCode (a number from
物流公司编号, doc 401927); whole orders only (只支持整单发货), an order waiting to ship (待发货,
status 30); the same waybill sent again is answered as shipped (幂等返回发货成功, since 2024-11-25).
Its refusals: result 11 快递公司不存在 for a code not in the table (doc 401730, 发货API拦截),
result 21 "order operation reject" for an order the token's shop does not hold (doc 53513). A missing
waybill (22, 参数错误) and a second send with another waybill (21) are the sandbox's own words.
"""

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from flexhub.sandbox.platform import Answer, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

LAST_PAGE = "nomore"
PAID, SHIPPED = 30, 40  # orderBaseInfo.status: 待发货, 已发货
# Some of 物流公司编号's expressCodes (doc 401927): 百世 1, EMS 2, 申通 3, 顺丰 4, 圆通 6, 邮政快递包裹 8, 中通 9,
# 宅急送 10, 韵达 11, 京东 14, 德邦 17, DHL中国件 20, 极兔 109, 菜鸟速递 113, 其他 9999.
EXPRESS_CODES = frozenset({1, 2, 3, 4, 6, 8, 9, 10, 11, 14, 17, 20, 109, 113, 9999})


def cursor_list(store: Store, business: dict[str, Any]) -> Answer:
    """Orders updated in [beginTime, endTime] (ms), oldest first; the cursor is an offset, "nomore" at the end."""
    since, until, size = business.get("beginTime"), business.get("endTime"), business.get("pageSize") or 20
    if not isinstance(since, int) or not isinstance(until, int) or not 1 <= size <= 100:
        return Answer(200, {"result": 22, "error_msg": "beginTime, endTime and pageSize 1-100", "subCode": "isv.param"})
    start = int(business.get("cursor") or 0)
    chosen = [o for o in store.orders_between(None, None) if since <= int(o.updated_at.timestamp() * 1000) <= until]
    shown = chosen[start:start + size]
    cursor = str(start + size) if start + size < len(chosen) else LAST_PAGE
    return Answer(200, {"result": 1, "data": {"orderList": [document(o) for o in shown], "cursor": cursor}})


def detail(store: Store, business: dict[str, Any]) -> Answer:
    order = store.orders.get(str(business.get("oid")))
    if order is None:
        return Answer(200, {"result": 22, "error_msg": "订单不存在", "subCode": "isv.order-not-exist"})
    return Answer(200, {"result": 1, "error_msg": "SUCCESS", "data": document(order)})


def goods_deliver(store: Store, business: dict[str, Any]) -> Answer:
    """open.seller.order.goods.deliver: the whole order shipped with one waybill; the same waybill again is shipped."""
    order = store.orders.get(str(business.get("orderId")))
    if order is None:
        return _refused(21, "order operation reject")
    code, waybill = business.get("expressCode"), business.get("expressNo")
    if not waybill:
        return _refused(22, "参数错误: expressNo")
    if code not in EXPRESS_CODES:
        return _refused(11, "快递公司不存在")
    if order.status == "shipped":
        if order.shipments and order.shipments[-1]["tracking_number"] == waybill:
            return Answer(200, {"result": 1, "error_msg": "SUCCESS"})
        return _refused(21, "order operation reject")
    order.shipments.append({"carrier": str(code), "tracking_number": waybill,
                            "lines": [{"line": line.listing.platform_id, "quantity": line.quantity}
                                      for line in order.lines]})
    order.status = "shipped"
    return Answer(200, {"result": 1, "error_msg": "SUCCESS"})


def _refused(result: int, message: str) -> Answer:
    return Answer(200, {"result": result, "error_msg": message})


def document(order: Order) -> dict[str, Any]:
    line = order.lines[0]  # a Kuaishou order holds one SKU
    item_id, _, sku_id = line.listing.platform_id.partition(":")
    total = line.listing.price * line.quantity
    return {
        "orderBaseInfo": {"oid": int(order.external_id),
                          "status": SHIPPED if order.status == "shipped" else PAID, "payTime": _ms(order.placed_at),
                          "createTime": _ms(order.placed_at), "updateTime": _ms(order.updated_at), "totalFee": total,
                          "expressFee": 0, "discountFee": 0, "buyerOpenId": "f1sandbox", "buyerNick": "林**"},
        "orderItemInfo": {"itemId": int(item_id), "skuId": int(sku_id), "skuNick": line.listing.sku,
                          "num": line.quantity,
                          "price": line.listing.price, "itemTitle": f"Sandbox item {line.listing.sku}",
                          "orderItemId": int(order.external_id) * 10},
        "orderAddress": {"desensitiseConsignee": "林*", "desensitiseMobile": "138****8000", "province": buyer.PROVINCE,
                         "city": buyer.CITY, "district": buyer.DISTRICT, "desensitiseAddress": "文三路**"},
    }


def order_push(code: str, credentials: dict[str, str], order: Order) -> Webhook:
    message = {"eventId": f"{order.number}", "bizId": int(order.external_id), "appKey": credentials["app_key"],
               "event": "kwaishop_order_paySuccess", "createTime": _ms(order.updated_at), "test": False,
               "info": json.dumps({"oid": int(order.external_id), "updateTime": _ms(order.updated_at)})}
    key = base64.b64decode(credentials["message_private_key"])
    padder = padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(message).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(bytes(16))).encryptor()
    body = base64.b64encode(encryptor.update(plain) + encryptor.finalize())
    return Webhook(f"/webhooks/kuaishou/{code}", {"Content-Type": "text/plain"}, body)


def _ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)

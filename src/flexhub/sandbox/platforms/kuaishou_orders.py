"""Kuaishou shop orders: open.order.cursor.list and open.order.detail answers, and the encrypted push."""

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from flexhub.sandbox.platform import Answer, Webhook
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

LAST_PAGE = "nomore"


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


def document(order: Order) -> dict[str, Any]:
    line = order.lines[0]  # a Kuaishou order holds one SKU
    item_id, _, sku_id = line.listing.platform_id.partition(":")
    total = line.listing.price * line.quantity
    return {
        "orderBaseInfo": {"oid": int(order.external_id), "status": 30, "payTime": _ms(order.placed_at),
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

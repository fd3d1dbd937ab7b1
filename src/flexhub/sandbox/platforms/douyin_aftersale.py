"""抖店 after-sale cases: one a buyer opens on a sandbox order, the signed tag 200 push naming it
(doudian_refund_RefundCreated) and afterSale/Detail giving it whole.

The push's data and the answer carry the documented fields (the SDK's api/afterSale_Detail response:
process_info.after_sale_info, order_info.sku_order_infos); the platform publishes no sample of either."""

import json
from typing import Any

from flexhub.integrations.signing import md5_hex
from flexhub.sandbox.platform import Answer, Refused, Webhook
from flexhub.sandbox.store import Order, Store

SUCCESS = 10000
RETURN_AND_REFUND, REFUND_ONLY = 0, 1  # after_sale_type: 售后退货退款, 售后仅退款


def open_case(store: Store, order: Order, *, line: int = 0, units: int = 1, goods_back: bool = True) -> Webhook:
    """The buyer opens an after-sale case on one of the order's items; the push that names it."""
    bought = order.lines[line]
    product_id, _, sku_id = (bought.listing.item_id or "0:0").partition(":")
    case_id = int(f"7{order.external_id[-12:]}{line + 1:02d}")
    applied = int(order.updated_at.timestamp())
    kind = RETURN_AND_REFUND if goods_back else REFUND_ONLY
    with store.lock:
        store.refunds[str(case_id)] = {
            "process_info": {"after_sale_info": {
                "after_sale_id": case_id, "after_sale_status": 6, "after_sale_type": kind, "refund_type": 1,
                "refund_total_amount": bought.listing.price * units, "apply_time": applied, "update_time": applied,
                "reason": "7天无理由退货", "reason_code": 1, "after_sale_apply_count": units,
                "need_return_count": units if goods_back else 0, "got_pkg": 1 if goods_back else 0}},
            "order_info": {"shop_order_id": int(order.external_id), "sku_order_infos": [{
                "sku_order_id": int(f"{order.external_id}{line}"), "product_id": int(product_id),
                "sku_id": int(sku_id), "shop_sku_code": bought.listing.sku, "item_quantity": bought.quantity,
                "after_sale_item_count": units}]}}
    data = {"aftersale_id": case_id, "aftersale_status": 6, "aftersale_type": kind, "p_id": int(order.external_id),
            "s_id": int(f"{order.external_id}{line}"), "shop_id": 4463798,
            "refund_amount": bought.listing.price * units, "apply_time": applied, "reason_code": 1}
    body = json.dumps([{"tag": "200", "msg_id": f"{order.number}:200", "data": json.dumps(data)}]).encode()
    credentials = store.credentials
    sign = md5_hex(credentials["app_key"].encode() + body + credentials["app_secret"].encode())
    return Webhook(f"/webhooks/douyin/{store.code}", {"Content-Type": "application/json", "event-sign": sign,
                                                      "app-id": credentials["app_key"], "sign-method": "MD5"}, body)


def case_detail(store: Store, params: dict[str, Any]) -> Answer:
    case = store.refunds.get(str(params.get("after_sale_id") or ""))
    if case is None:
        raise Refused(Answer(200, {"code": 50002, "msg": "业务处理失败", "sub_code": "isv.after-sale-not-exist",
                                   "sub_msg": "售后单不存在", "data": {}}))
    return Answer(200, {"code": SUCCESS, "msg": "success", "sub_code": "", "sub_msg": "", "data": case})

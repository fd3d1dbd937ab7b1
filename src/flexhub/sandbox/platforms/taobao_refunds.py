"""TOP refunds: a buyer's refund case on a sandbox trade, the TMC message announcing it
(taobao_refund_RefundCreated, which names the case only) and taobao.refund.get giving it whole.

The message's content carries the documented fields (refund_id, tid, oid, refund_fee, refund_phase,
bill_type, buyer_nick, seller_nick, modified); the case those of the Refund structure (has_good_return,
num, num_iid, sku as "<sku_id>|<properties>", outer_id, reason, created, status, good_status)."""

import json

from flexhub.kernel import clock
from flexhub.sandbox.platform import Answer, Refused
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.store import Order, Store


def open_refund(store: Store, order: Order, *, line: int = 0, units: int = 1, goods_back: bool = True) -> dict:
    """The buyer asks for money back on one of the trade's lines (and sends goods back); the TMC message."""
    bought = order.lines[line]
    num_iid, _, sku_id = bought.listing.platform_id.partition(":")
    refund_id = str(int(order.external_id) * 100 + line + 1)
    oid = int(order.external_id) * 10 + line
    now = router.beijing(clock.now())
    with store.lock:
        store.refunds[refund_id] = {
            "refund_id": refund_id, "tid": int(order.external_id), "oid": oid, "num_iid": int(num_iid),
            "sku": f"{sku_id}|颜色分类:红色", "outer_id": bought.listing.sku, "num": units,
            "has_good_return": goods_back, "status": "WAIT_SELLER_AGREE",
            "good_status": "BUYER_RECEIVED" if goods_back else "BUYER_NOT_RECEIVED",
            "refund_fee": buyer.money(bought.listing.price * units), "reason": "7天无理由退换货", "created": now,
            "modified": now, "refund_phase": "aftersale" if goods_back else "onsale"}
    content = {"refund_id": int(refund_id), "tid": int(order.external_id), "oid": oid,
               "refund_fee": buyer.money(bought.listing.price * units), "refund_phase": "aftersale",
               "bill_type": "refund_bill", "buyer_nick": "l**w", "seller_nick": store.code, "modified": now}
    return {"topic": "taobao_refund_RefundCreated", "pub_app_key": "12497914", "pub_time": now,
            "user_id": 263296, "content": json.dumps(content, ensure_ascii=False)}


def refund(store: Store, params: dict[str, str]) -> Answer:
    case = store.refunds.get(params.get("refund_id") or "")
    if case is None:
        raise Refused(router.error(15, "Remote service error", "isv.refund-not-exist", "no such refund"))
    fields = set((params.get("fields") or "").split(","))
    return Answer(200, {"refund_get_response": {"refund": {k: v for k, v in case.items() if k in fields}}})

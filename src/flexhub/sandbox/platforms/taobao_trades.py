"""TOP trades: taobao.trades.sold.increment.get lists them, taobao.trade.fullinfo.get gives one whole."""

from datetime import timedelta
from typing import Any

from flexhub.sandbox.platform import Answer, Refused
from flexhub.sandbox.platforms import buyer, router
from flexhub.sandbox.store import Order, Store

MAX_WINDOW = timedelta(days=1)
# Some of taobao.logistics.companies.get's codes: what taobao.logistics.offline.send takes as company_code.
COMPANY_CODES = {"SF", "ZTO", "YTO", "STO", "YUNDA", "EMS", "POSTB", "JT"}
SHIPPED = "WAIT_BUYER_CONFIRM_GOODS"


def sold_increment(store: Store, params: dict[str, str]) -> Answer:
    """Trades modified in [start_modified, end_modified] (whole seconds), newest first, page by number."""
    try:
        since, until = router.from_beijing(params["start_modified"]), router.from_beijing(params["end_modified"])
        size, page = int(params.get("page_size") or 40), int(params.get("page_no") or 1)
    except (KeyError, ValueError):
        raise Refused(router.error(41, "Invalid arguments", "isv.invalid-parameter:start_modified")) from None
    if until - since > MAX_WINDOW or not 1 <= size <= 100:
        raise Refused(router.error(41, "Invalid arguments", "isv.invalid-parameter",
                                   "a window of one day at most, page_size 1-100"))
    chosen = [o for o in store.orders_between(None, None) if since <= o.updated_at.replace(microsecond=0) <= until]
    chosen.reverse()
    shown = chosen[(page - 1) * size: page * size]
    listed = [{"tid": int(o.external_id), "status": "WAIT_SELLER_SEND_GOODS", "modified": router.beijing(o.updated_at)}
              for o in shown]
    answer = {"trades": {"trade": listed}, "has_next": page * size < len(chosen)}
    if params.get("use_has_next") != "true":
        answer["total_results"] = len(chosen)
    return Answer(200, {"trades_sold_increment_get_response": answer})


def full_trade(store: Store, params: dict[str, str]) -> Answer:
    order = store.orders.get(params.get("tid") or "")
    if order is None:
        raise Refused(router.error(15, "Remote service error", "isv.trade-not-exist", "no such trade"))
    return Answer(200, {"trade_fullinfo_get_response": {"trade": trade(order)}})


def offline_send(store: Store, params: dict[str, str]) -> Answer:
    """taobao.logistics.offline.send (自己联系物流): the trade, or the sub-orders `sub_tid` names when `is_split` is 1,
    out with the seller's waybill (out_sid) and a company code from taobao.logistics.companies.get, once. The
    sub_codes of its refusals are the sandbox's own, in TOP's error shape."""
    order = store.orders.get(params.get("tid") or "")
    code, waybill = params.get("company_code") or "", params.get("out_sid") or ""
    if order is None:
        raise Refused(router.error(15, "Remote service error", "isv.trade-not-exist", "no such trade"))
    if code not in COMPANY_CODES:
        raise Refused(router.error(15, "Remote service error", "isv.logistics-company-not-exist",
                                   f"company_code {code!r} is not a logistics company's code"))
    if not waybill:
        raise Refused(router.error(40, "Missing required arguments", "isv.missing-parameter:out_sid"))
    lines = list(enumerate(order.lines))
    if params.get("is_split") == "1":
        wanted = set((params.get("sub_tid") or "").split(","))
        lines = [(n, line) for n, line in lines if str(int(order.external_id) * 10 + n) in wanted]
    if order.status == "shipped" or not lines:
        raise Refused(router.error(15, "Remote service error", "isv.logistics-offline-send-failed",
                                   "the trade is not waiting to be sent, or no sub-order of it is named"))
    order.shipments.append({"carrier": code, "tracking_number": waybill,
                            "lines": [{"line": line.listing.platform_id, "quantity": line.quantity}
                                      for _, line in lines]})
    if sum(len(shipment["lines"]) for shipment in order.shipments) >= len(order.lines):
        order.status = "shipped"
    return Answer(200, {"logistics_offline_send_response": {"shipping": {"is_success": True}}})


def trade(order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    return {
        "tid": int(order.external_id), "tid_str": order.external_id,
        "status": SHIPPED if order.status == "shipped" else "WAIT_SELLER_SEND_GOODS",
        "type": "fixed", "created": router.beijing(order.placed_at), "modified": router.beijing(order.updated_at),
        "pay_time": router.beijing(order.placed_at), "payment": buyer.money(total), "post_fee": "0.00",
        "total_fee": buyer.money(total), "discount_fee": "0.00", "buyer_nick": "l**w", "buyer_open_uid": "AAHk5d",
        "receiver_name": buyer.NAME, "receiver_state": buyer.PROVINCE, "receiver_city": buyer.CITY,
        "receiver_district": buyer.DISTRICT, "receiver_address": buyer.STREET, "receiver_zip": buyer.POSTCODE,
        "receiver_mobile": buyer.PHONE, "receiver_country": "",
        "orders": {"order": [_line(order, n, line) for n, line in enumerate(order.lines)]},
    }


def _line(order: Order, n: int, line: Any) -> dict[str, Any]:
    num_iid, _, sku_id = line.listing.item_id.partition(":")
    amount = buyer.money(line.listing.price * line.quantity)
    return {"oid": int(order.external_id) * 10 + n, "num_iid": int(num_iid), "sku_id": sku_id,
            "outer_sku_id": line.listing.sku, "title": f"Sandbox item {line.listing.sku}",
            "price": buyer.money(line.listing.price), "num": line.quantity, "total_fee": amount, "payment": amount,
            "status": "WAIT_SELLER_SEND_GOODS"}

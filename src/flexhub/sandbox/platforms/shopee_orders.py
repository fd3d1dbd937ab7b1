"""Shopee orders as v2.order.get_order_list names them and v2.order.get_order_detail gives them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

MAX_WINDOW = timedelta(days=15)
MAX_DETAILS = 50


def order_list(store: Store, request: Received) -> Answer:
    """Orders whose update_time lies in [time_from, time_to] (whole seconds), oldest first, by cursor."""
    query = request.query
    try:
        since, until = _time(query["time_from"]), _time(query["time_to"])
        size, start = int(query.get("page_size") or 20), int(query.get("cursor") or 0)
    except (KeyError, ValueError):
        raise Refused(_error("error_param", "time_from, time_to and page_size are numbers")) from None
    if query.get("time_range_field") not in ("create_time", "update_time") or until - since > MAX_WINDOW \
            or not 1 <= size <= 100:
        raise Refused(_error("error_param", "time_range_field, a window of 15 days at most, page_size 1-100"))
    chosen = [o for o in store.orders_between(None, None)
              if since <= o.updated_at.replace(microsecond=0) <= until]
    page = chosen[start:start + size]
    more = start + size < len(chosen)
    listed = [{"order_sn": o.external_id, "order_status": _status(o)} for o in page]
    return Answer(200, _ok({"more": more, "next_cursor": str(start + size) if more else "", "order_list": listed}))


def order_details(store: Store, request: Received) -> Answer:
    wanted = [sn for sn in (request.query.get("order_sn_list") or "").split(",") if sn]
    if not 1 <= len(wanted) <= MAX_DETAILS:
        raise Refused(_error("error_param", f"order_sn_list names 1 to {MAX_DETAILS} orders"))
    return Answer(200, _ok({"order_list": [detail(store, store.orders[sn]) for sn in wanted if sn in store.orders]}))


def ship_order(store: Store, request: Received) -> Answer:
    """v2.logistics.ship_order for a non-integrated channel: the whole order out with the seller's tracking_no, once
    (pickup and dropoff, Shopee's own couriers, are not served); READY_TO_SHIP becomes PROCESSED."""
    body = request.json() or {}
    order = store.orders.get(str(body.get("order_sn") or ""))
    tracking = (body.get("non_integrated") or {}).get("tracking_no")
    if order is None:
        raise Refused(_error("logistics.order_not_found", "order_sn not found"))
    if not tracking:
        raise Refused(_error("error_param", "non_integrated.tracking_no is required for this logistics channel"))
    if order.status == "shipped":
        raise Refused(_error("logistics.ship_order_invalid", "the order is not READY_TO_SHIP"))
    order.shipments.append({"carrier": None, "tracking_number": tracking,
                            "lines": [{"line": line.listing.platform_id, "quantity": line.quantity}
                                      for line in order.lines]})
    order.status = "shipped"
    return Answer(200, _ok({}))


def detail(store: Store, order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    return {
        "order_sn": order.external_id, "region": "SG", "currency": "SGD", "cod": False,
        "total_amount": total / 100, "order_status": _status(order), "shipping_carrier": "Standard Delivery",
        "payment_method": "Credit Card/Debit Card", "estimated_shipping_fee": 0, "message_to_seller": "",
        "create_time": _unix(order.placed_at), "update_time": _unix(order.updated_at), "days_to_ship": 2,
        "buyer_user_id": 1170319091, "buyer_username": "linwei88", "pay_time": _unix(order.placed_at),
        "recipient_address": {"name": buyer.NAME, "phone": buyer.PHONE, "town": "", "district": buyer.DISTRICT,
                              "city": buyer.CITY, "state": buyer.PROVINCE, "region": "SG", "zipcode": buyer.POSTCODE,
                              "full_address": buyer.STREET},
        "item_list": [_item(order, line) for line in order.lines],
    }


def _item(order: Order, line: Any) -> dict[str, Any]:
    item_id, _, model_id = line.listing.item_id.partition(":")
    return {"item_id": int(item_id), "item_name": f"Sandbox item {line.listing.sku}", "item_sku": "",
            "model_id": int(model_id), "model_name": line.listing.sku, "model_sku": line.listing.sku,
            "model_quantity_purchased": line.quantity, "model_original_price": line.listing.price / 100,
            "model_discounted_price": line.listing.price / 100, "order_item_id": int(item_id), "wholesale": False,
            "add_on_deal": False, "main_item": False, "promotion_type": "", "promotion_id": 0}


def _status(order: Order) -> str:
    return "PROCESSED" if order.status == "shipped" else "READY_TO_SHIP"


def _ok(response: dict[str, Any]) -> dict[str, Any]:
    return {"error": "", "message": "", "warning": "", "request_id": buyer.new_secret(length=8), "response": response}


def _error(error: str, message: str) -> Answer:
    return Answer(400, {"error": error, "message": message, "request_id": buyer.new_secret(length=8)})


def _time(text: str) -> datetime:
    return datetime.fromtimestamp(int(text), UTC)


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())

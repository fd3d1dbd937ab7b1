"""WeChat Channels shop orders: /channels/ec/order/list/get names them, /channels/ec/order/get gives one."""

from typing import Any

from flexhub.sandbox.platform import Answer
from flexhub.sandbox.platforms import buyer
from flexhub.sandbox.store import Order, Store

MAX_PAGE = 100


def order_list(store: Store, body: dict[str, Any]) -> Answer:
    """Orders updated in [start_time, end_time] (whole seconds), oldest first; next_key is an offset here."""
    window = body.get("update_time_range") or body.get("create_time_range") or {}
    since, until, size = window.get("start_time"), window.get("end_time"), body.get("page_size")
    if not (isinstance(since, int) and isinstance(until, int) and isinstance(size, int)) or not 0 < size <= MAX_PAGE:
        return Answer(200, {"errcode": 47001, "errmsg": "data format error: a time range and page_size 1-100"})
    start = int(body.get("next_key") or 0)
    chosen = [o for o in store.orders_between(None, None) if since <= int(o.updated_at.timestamp()) <= until]
    shown = chosen[start:start + size]
    more = start + size < len(chosen)
    return Answer(200, {"errcode": 0, "errmsg": "ok", "order_id_list": [o.external_id for o in shown],
                        "next_key": str(start + size), "has_more": more})


def order_get(store: Store, body: dict[str, Any]) -> Answer:
    order = store.orders.get(str(body.get("order_id")))
    if order is None:
        return Answer(200, {"errcode": 100002, "errmsg": "order not exist"})
    return Answer(200, {"errcode": 0, "errmsg": "ok", "order": document(order)})


SHIPPED = 30  # 待收货: every product sent (20 待发货, 21 部分发货)
DELIVERY_IDS = {"SF", "JD", "ZTO", "YTO", "YD", "STO", "EMS", "JTSD", "DHL"}  # some of deliverycompanylist/get's


def delivery_send(store: Store, body: dict[str, Any]) -> Answer:
    """/channels/ec/order/delivery/send: the seller's parcels of an order (delivery_id, waybill_id, deliver_type, the
    product_infos each holds). The order must exist and be waiting to ship, and each product be one of its own."""
    order = store.orders.get(str(body.get("order_id")))
    if order is None:
        return Answer(200, {"errcode": 100002, "errmsg": "order not exist"})
    if order.status == "shipped":
        return Answer(200, {"errcode": 100011, "errmsg": "order status not allow to deliver"})
    parcels = body.get("delivery_list")
    ordered = {line.listing.platform_id for line in order.lines}
    if not isinstance(parcels, list) or not parcels or not all(_parcel_ok(parcel, ordered) for parcel in parcels):
        return Answer(200, {"errcode": 47001, "errmsg": "data format error: delivery_list needs delivery_id, "
                                                         "waybill_id and the order's own product_infos"})
    for parcel in parcels:
        order.shipments.append({"carrier": parcel["delivery_id"], "tracking_number": parcel["waybill_id"],
                                "lines": [{"line": f"{p['product_id']}:{p['sku_id']}", "quantity": p["product_cnt"]}
                                          for p in parcel["product_infos"]]})
    order.status = "shipped"
    return Answer(200, {"errcode": 0, "errmsg": "ok"})


def _parcel_ok(parcel: Any, ordered: set[str]) -> bool:
    products = parcel.get("product_infos") if isinstance(parcel, dict) else None
    return bool(parcel.get("delivery_id") in DELIVERY_IDS and parcel.get("waybill_id") and isinstance(products, list)
                and products and all(isinstance(p, dict) and f"{p.get('product_id')}:{p.get('sku_id')}" in ordered
                        and isinstance(p.get("product_cnt"), int) and p["product_cnt"] > 0 for p in products))


def document(order: Order) -> dict[str, Any]:
    total = sum(line.listing.price * line.quantity for line in order.lines)
    return {
        "order_id": order.external_id, "status": SHIPPED if order.status == "shipped" else 20,
        "create_time": int(order.placed_at.timestamp()),
        "update_time": int(order.updated_at.timestamp()), "openid": "oSandbox-linwei",
        "order_detail": {
            "product_infos": [{
                "product_id": line.listing.platform_id.split(":")[0], "sku_id": line.listing.platform_id.split(":")[1],
                "sku_cnt": line.quantity, "sale_price": line.listing.price, "out_sku_id": line.listing.sku,
                "sku_code": line.listing.sku, "title": f"Sandbox item {line.listing.sku}",
            } for line in order.lines],
            "price_info": {"product_price": total, "order_price": total, "freight": 0, "discounted_price": 0},
            "delivery_info": {"address_info": {
                "user_name": buyer.NAME, "postal_code": buyer.POSTCODE, "province_name": buyer.PROVINCE,
                "city_name": buyer.CITY, "county_name": buyer.DISTRICT, "detail_info": buyer.STREET,
                "tel_number": buyer.PHONE}},
            "ext_info": {},
        },
    }

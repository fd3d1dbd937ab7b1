"""A WeChat shop told its order shipped as WeChat takes it, through the sandbox: /channels/ec/order/delivery/send with
the waybill and the order's own products (product_id, sku_id, count), after which the shop shows the order 待收货."""

from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.platforms.wechat_orders import SHIPPED, delivery_send, document
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.testing.fulfillment import ship_when_routed

SKU = "TEE-RED-M"
CHANNEL = "wechat-shop"


def test_a_wechat_order_is_sent_with_its_waybill_and_products(stage: Stage, sf: SfSandbox) -> None:
    store = stage.open("wechat", CHANNEL, [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10)
    placed = stage.market.place_order(store, {SKU: 2})

    waybill = ship_when_routed(stage.hub, stage.admin, CHANNEL, placed.external_id)

    told = wait_until(lambda: store.orders[placed.external_id].shipments)
    assert told == [{"carrier": "SF", "tracking_number": waybill,
                     "lines": [{"line": store.listing(SKU).platform_id, "quantity": 2}]}]
    assert document(store.orders[placed.external_id])["status"] == SHIPPED
    sends = [(e.path, e.status) for e in store.log if e.path.endswith("/order/delivery/send")]
    assert sends == [("/channels/ec/order/delivery/send", 200)]


def test_the_sandbox_refuses_a_delivery_that_is_not_the_orders_own(stage: Stage) -> None:
    store = stage.open("wechat", CHANNEL, [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10)
    placed = stage.market.place_order(store, {SKU: 1})
    product, sku_id = store.listing(SKU).platform_id.split(":")
    parcel = {"delivery_id": "SF", "waybill_id": "SF100", "deliver_type": 1,
              "product_infos": [{"product_id": product, "sku_id": sku_id, "product_cnt": 1}]}

    unknown = delivery_send(store, {"order_id": "404", "delivery_list": [parcel]})
    foreign = delivery_send(store, {"order_id": placed.external_id, "delivery_list": [
        {**parcel, "product_infos": [{"product_id": "1", "sku_id": "2", "product_cnt": 1}]}]})
    unknown_courier = delivery_send(store, {"order_id": placed.external_id,
                                            "delivery_list": [{**parcel, "delivery_id": "sf_express"}]})
    sent = delivery_send(store, {"order_id": placed.external_id, "delivery_list": [parcel]})
    again = delivery_send(store, {"order_id": placed.external_id, "delivery_list": [parcel]})

    assert [a.body["errcode"] for a in (unknown, foreign, unknown_courier, sent, again)] == [
        100002, 47001, 47001, 0, 100011]
    assert len(store.orders[placed.external_id].shipments) == 1

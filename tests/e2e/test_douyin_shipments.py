"""A Douyin shop told its order shipped as Douyin takes it, through the sandbox: order.logisticsAdd with Douyin's
company_code for the hub's carrier (sf_express → shunfeng) and the waybill, after which the order shows 已发货.
Before, the hub's own code went as company_code, which Douyin refuses (isv.business-failed:60018)."""

from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.platforms.douyin_orders import SHIPPED, document, logistics_add
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.testing.fulfillment import ship_when_routed

SKU = "TEE-RED-M"
CHANNEL = "douyin-live"


def test_a_douyin_order_is_sent_with_douyins_company_code_and_the_waybill(stage: Stage, sf: SfSandbox) -> None:
    store = stage.open("douyin", CHANNEL, [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10)
    placed = stage.market.place_order(store, {SKU: 2})

    waybill = ship_when_routed(stage.hub, stage.admin, CHANNEL, placed.external_id)

    told = wait_until(lambda: store.orders[placed.external_id].shipments)
    assert told == [{"carrier": "shunfeng", "tracking_number": waybill,
                     "lines": [{"line": store.listing(SKU).platform_id, "quantity": 2}]}]
    assert document(store.orders[placed.external_id])["order_status"] == SHIPPED
    sends = [(e.path, e.status) for e in store.log if e.path.endswith("/order/logisticsAdd")]
    assert sends == [("/order/logisticsAdd", 200)]


def test_the_sandbox_refuses_an_unknown_company_a_missing_order_and_a_second_send(stage: Stage) -> None:
    store = stage.open("douyin", CHANNEL, [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10)
    placed = stage.market.place_order(store, {SKU: 1})
    sent = {"order_id": placed.external_id, "company_code": "shunfeng", "logistics_code": "SF100"}

    answers = [logistics_add(store, params) for params in (
        {**sent, "order_id": "404"}, {**sent, "company_code": "sf_express"}, {**sent, "company_code": ""},
        {**sent, "logistics_code": ""}, sent, sent)]

    assert [(a.body["code"], a.body["sub_code"]) for a in answers] == [
        (50002, "isv.business-failed:60033"), (50002, "isv.business-failed:60018"),
        (40002, "isv.missing-parameter:60011"), (40002, "isv.missing-parameter:60036"), (10000, ""),
        (50002, "isv.business-failed:60110")]
    assert len(store.orders[placed.external_id].shipments) == 1

"""JD, Taobao, Shopee and Kuaishou shops told their orders shipped as each platform takes it, through the sandbox: JD's
jingdong.pop.order.shipment with JD's carrier id for the hub's carrier (sf_express → 467), Taobao's
taobao.logistics.offline.send with TOP's company code (sf_express → SF), Shopee's v2.logistics.ship_order with the
waybill of the seller's own courier, Kuaishou's open.seller.order.goods.deliver with its numeric expressCode
(sf_express → 4); each order then shows shipped in the platform's own words. Before, these sandboxes did not serve
their ship calls and every notice to them failed."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.platforms.jd_orders import document as jd_document
from flexhub.sandbox.platforms.jd_orders import order_shipment
from flexhub.sandbox.platforms.kuaishou_orders import document as kuaishou_document
from flexhub.sandbox.platforms.kuaishou_orders import goods_deliver
from flexhub.sandbox.platforms.shopee_orders import detail as shopee_detail
from flexhub.sandbox.platforms.shopee_orders import ship_order
from flexhub.sandbox.platforms.taobao_trades import offline_send
from flexhub.sandbox.platforms.taobao_trades import trade as taobao_trade
from flexhub.sandbox.stage import Stage, wait_until
from flexhub.sandbox.store import Store
from flexhub.testing.fulfillment import ship_when_routed

SKU = "TEE-RED-M"
SHIPPED: dict[str, tuple[str | None, Callable[[Store, Any], str]]] = {
    # platform: (the carrier the platform was told, the order's status there)
    "jd": ("467", lambda store, order: jd_document(order)["orderState"]),
    "taobao": ("SF", lambda store, order: taobao_trade(order)["status"]),
    "shopee": (None, lambda store, order: shopee_detail(store, order)["order_status"]),
    "kuaishou": ("4", lambda store, order: kuaishou_document(order)["orderBaseInfo"]["status"]),
}
STATUS_AFTER = {"jd": "WAIT_GOODS_RECEIVE_CONFIRM", "taobao": "WAIT_BUYER_CONFIRM_GOODS", "shopee": "PROCESSED",
                "kuaishou": 40}


@pytest.mark.parametrize("platform", sorted(SHIPPED))
def test_an_order_is_told_shipped_with_the_platforms_carrier_code_and_the_waybill(stage: Stage, sf: SfSandbox,
                                                                                   platform: str) -> None:
    carrier, status = SHIPPED[platform]
    store = stage.open(platform, f"{platform}-shop", [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10, timeout_s=30)
    placed = stage.market.place_order(store, {SKU: 2})

    waybill = ship_when_routed(stage.hub, stage.admin, f"{platform}-shop", placed.external_id)

    told = wait_until(lambda: store.orders[placed.external_id].shipments, timeout_s=30)
    assert told == [{"carrier": carrier, "tracking_number": waybill,
                     "lines": [{"line": store.listing(SKU).platform_id, "quantity": 2}]}]
    assert status(store, store.orders[placed.external_id]) == STATUS_AFTER[platform]


def test_the_jd_sandbox_refuses_an_unknown_carrier_a_missing_order_or_waybill_and_a_second_send(stage: Stage) -> None:
    store, external_id = _one_order(stage, "jd")
    sent = {"orderId": external_id, "logiCoprId": "467", "logiNo": "SF100"}

    answers = [order_shipment(store, params) for params in (
        {**sent, "orderId": "404"}, {**sent, "logiCoprId": "sf_express"}, {**sent, "logiNo": ""}, sent, sent)]

    results = [a.body["jingdong_pop_order_shipment_responce"]["sopjosshipment_result"] for a in answers]
    assert [r["success"] for r in results] == [False, False, False, True, False]
    assert len(store.orders[external_id].shipments) == 1


def test_the_taobao_sandbox_refuses_an_unknown_company_a_missing_trade_or_waybill_and_a_second_send(
        stage: Stage) -> None:
    store, external_id = _one_order(stage, "taobao")
    sent = {"tid": external_id, "company_code": "SF", "out_sid": "SF100"}

    answers = [_answer(lambda params=params: offline_send(store, params)) for params in (
        {**sent, "tid": "404"}, {**sent, "company_code": "sf_express"}, {**sent, "out_sid": ""}, sent, sent)]

    assert [(a.body.get("error_response") or {}).get("sub_code") for a in answers] == [
        "isv.trade-not-exist", "isv.logistics-company-not-exist", "isv.missing-parameter:out_sid", None,
        "isv.logistics-offline-send-failed"]
    assert len(store.orders[external_id].shipments) == 1


def test_the_shopee_sandbox_refuses_a_missing_order_or_tracking_number_and_a_second_send(stage: Stage) -> None:
    store, external_id = _one_order(stage, "shopee")
    sent = {"order_sn": external_id, "non_integrated": {"tracking_no": "SF100"}}

    answers = [_answer(lambda body=body: ship_order(store, _post(body))) for body in (
        {**sent, "order_sn": "404"}, {**sent, "non_integrated": {}}, sent, sent)]

    assert [a.body["error"] for a in answers] == [
        "logistics.order_not_found", "error_param", "", "logistics.ship_order_invalid"]
    assert len(store.orders[external_id].shipments) == 1


def test_the_kuaishou_sandbox_refuses_an_unknown_company_a_missing_order_or_waybill_and_another_waybill_after(
        stage: Stage) -> None:
    store, external_id = _one_order(stage, "kuaishou")
    sent = {"orderId": int(external_id), "expressCode": 4, "expressNo": "SF100"}

    answers = [goods_deliver(store, business) for business in (
        {**sent, "orderId": 404}, {**sent, "expressCode": "sf_express"}, {**sent, "expressNo": ""}, sent, sent,
        {**sent, "expressNo": "SF200"})]

    # the same waybill again is answered as shipped (documented since 2024-11-25), another one is refused
    assert [a.body["result"] for a in answers] == [21, 11, 22, 1, 1, 21]
    assert len(store.orders[external_id].shipments) == 1


def _one_order(stage: Stage, platform: str) -> tuple[Store, str]:
    store = stage.open(platform, f"{platform}-shop", [SKU])
    wait_until(lambda: store.listing(SKU).quantity == 10, timeout_s=30)
    return store, stage.market.place_order(store, {SKU: 1}).external_id


def _answer(call: Callable[[], Answer]) -> Answer:
    try:
        return call()
    except Refused as refused:
        return refused.answer


def _post(body: dict[str, Any]) -> Received:
    return Received("POST", "/api/v2/logistics/ship_order", {}, {}, json.dumps(body).encode(), datetime.now(UTC))

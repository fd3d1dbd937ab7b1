"""JD (JOS, POP sellers) against our signature vector and an order built from JD's documented fields.

JD publishes no order sample (see ../shared/fixtures/channels/SOURCES.md), so `fake_order` builds one
from the fields of the JD SDK's OrderSearchInfo, ItemInfo and UserInfo (consigneeInfo) as
jingdong.pop.order.search returns them, with obviously fake buyer data.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from flexhub.channels.adapter import ShipmentNotice, StockPush
from flexhub.channels.errors import UnreadablePayload
from flexhub.channels.platforms.jd import PRODUCTION, JdAdapter, signed_request
from flexhub.channels.platforms.taobao import top_sign
from flexhub.integrations.signing import SignatureInvalid
from flexhub.testing import adapter_contract
from flexhub.testing.clocks import movable_clock

SIGNED_AT = datetime(2026, 1, 1, 4, 0, tzinfo=UTC)  # 2026-01-01 12:00:00 in Beijing, the vector's timestamp
CREDENTIALS = {"app_key": "FAKEAPPKEY", "app_secret": "fake_secret", "access_token": "fake_token"}


def fake_order(**fields: Any) -> dict[str, Any]:
    order = {
        "orderId": "300000000001", "venderId": "10000", "orderType": "22", "payType": "4-在线支付",
        "orderTotalPrice": "297.00", "orderSellerPrice": "287.00", "orderPayment": "292.00",
        "freightPrice": "5.00", "sellerDiscount": "10.00", "orderState": "WAIT_SELLER_STOCK_OUT",
        "orderStateRemark": "等待出库", "orderRemark": "", "orderStartTime": "2026-01-01 10:00:00",
        "paymentConfirmTime": "2026-01-01 10:00:30", "modified": "2026-01-01 10:00:31", "pin": "fake_pin***",
        "open_id_buyer": "FAKEopenIdBuyer", "balanceUsed": "0.00",
        "consigneeInfo": {"fullname": "测*", "mobile": "138****0000", "telephone": "", "province": "北京",
                          "city": "北京市", "county": "朝阳区", "town": "测试街道",
                          "fullAddress": "北京北京市朝阳区测试街道测试路**号"},
        "itemInfoList": [
            {"skuId": "100000000011", "outerSkuId": "TEE-RED-M", "skuName": "测试T恤 红 M", "jdPrice": "99.00",
             "itemTotal": "2", "wareId": "100000000010", "giftPoint": "0", "productNo": "", "newStoreId": "0"},
            {"skuId": "100000000021", "outerSkuId": "", "skuName": "测试帽子", "jdPrice": "99.00",
             "itemTotal": "1", "wareId": "100000000020"},
        ],
    }
    return order | fields


def test_meets_the_adapter_contract():
    adapter = JdAdapter()
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    assert adapter.credential_fields == ("app_key", "app_secret", "access_token")


def test_signs_as_the_vector(signature_vectors):
    vector = signature_vectors["jd_jos"]
    credentials = {"app_key": vector["params"]["app_key"], "app_secret": vector["secret"],
                   "access_token": vector["params"]["access_token"]}
    with movable_clock(SIGNED_AT):
        request = signed_request(credentials, "jingdong.pop.order.get", {"order_id": "123456789",
                                                                          "optional_fields": "orderId,orderState"})
    assert (request.method, request.url) == ("POST", PRODUCTION)
    assert request.params == {**vector["params"], "sign": vector["sign"]}


def test_parses_a_documented_order():
    order = JdAdapter().parse_order(fake_order())
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "300000000001", "paid", "WAIT_SELLER_STOCK_OUT", "CNY")
    tee, cap = order.lines
    assert (tee.external_sku, tee.external_item_id, tee.quantity, tee.unit_price, tee.title) == (
        "TEE-RED-M", "100000000011", 2, 9900, "测试T恤 红 M")
    assert (cap.external_sku, cap.external_item_id) == ("100000000021", "100000000021")  # no outer SKU: JD's
    # 297 of goods + 5 freight, 292 to pay: 10 yuan off the order.
    assert (order.shipping_fee, order.order_discount) == (500, 1000)
    assert (order.placed_at, order.updated_at) == (datetime(2026, 1, 1, 2, 0, tzinfo=UTC),
                                                   datetime(2026, 1, 1, 2, 0, 31, tzinfo=UTC))
    assert order.buyer == {"name": "测*", "phone": "138****0000", "external_id": "FAKEopenIdBuyer"}
    assert order.shipping_address == {"country": "CN", "province": "北京", "city": "北京市", "district": "朝阳区",
                                      "town": "测试街道", "line1": "北京北京市朝阳区测试街道测试路**号"}


def test_a_cancelled_order_without_consignee_still_parses():
    order = JdAdapter().parse_order(fake_order(orderState="TRADE_CANCELED", consigneeInfo=None))
    assert (order.status, order.buyer, order.shipping_address) == (
        "cancelled", {"name": "fake_pin***", "external_id": "FAKEopenIdBuyer"}, {"country": "CN"})


def test_every_state_maps_and_an_unknown_one_is_refused():
    expected = {"WAIT_SELLER_STOCK_OUT": "paid", "WAIT_SELLER_DELIVERY": "paid", "LOCKED": "paid", "PAUSE": "paid",
                "WAIT_GOODS_RECEIVE_CONFIRM": "shipped", "FINISHED_L": "delivered", "TRADE_CANCELED": "cancelled"}
    for state, status in expected.items():
        assert JdAdapter().parse_order(fake_order(orderState=state)).status == status
    with pytest.raises(UnreadablePayload):
        JdAdapter().parse_order(fake_order(orderState="BEYOND_THE_STARS"))


def test_searches_by_modified_time_oldest_first():
    since = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    with movable_clock(SIGNED_AT):
        first = JdAdapter().orders_request(CREDENTIALS, since, since + timedelta(hours=1), None)
        later = JdAdapter().orders_request(CREDENTIALS, since, since + timedelta(hours=1), "2026-01-01 10:20:00")
    assert first.params["method"] == "jingdong.pop.order.search"
    business = json.loads(first.params["360buy_param_json"])
    assert {key: business[key] for key in ("start_date", "end_date", "page", "page_size", "sortType", "dateType")} == {
        "start_date": "2026-01-01 10:00:00", "end_date": "2026-01-01 11:00:00", "page": "1", "page_size": "100",
        "sortType": "0", "dateType": "0"}
    assert {"itemInfoList", "consigneeInfo", "modified"} <= set(business["optional_fields"].split(","))
    assert json.loads(later.params["360buy_param_json"])["start_date"] == "2026-01-01 10:20:00"
    assert first.params["sign"] == top_sign(first.params, "fake_secret")
    with pytest.raises(ValueError):
        JdAdapter().orders_request(CREDENTIALS, since, since + timedelta(days=31), None)


def test_the_next_page_starts_at_the_newest_order_seen():
    def page(total, *modified):
        orders = [fake_order(orderId=str(n), modified=m) for n, m in enumerate(modified)]
        return {"jingdong_pop_order_search_responce": {"searchorderinfo_result": {
            "orderInfoList": orders, "orderTotal": total, "apiResult": {"success": True}}}}

    adapter = JdAdapter()
    listed = adapter.parse_orders_page(page(150, "2026-01-01 10:00:31", "2026-01-01 10:05:00"), {})
    assert [order["orderId"] for order in listed.orders] == ["0", "1"]
    assert adapter.parse_order(listed.orders[0]).external_id == "0"  # a page's orders are whole
    assert listed.next_cursor == "2026-01-01 10:05:00"
    assert adapter.parse_orders_page(page(500, *["2026-01-01 10:05:00"] * 100), {}).next_cursor == (
        "2026-01-01 10:05:01")
    assert adapter.parse_orders_page(page(2, "2026-01-01 10:00:31", "2026-01-01 10:05:00"), {}).next_cursor is None
    failed = {"jingdong_pop_order_search_responce": {"searchorderinfo_result": {
        "apiResult": {"success": False, "englishErrCode": "time span too long"}}}}
    with pytest.raises(UnreadablePayload):
        adapter.parse_orders_page(failed, {})
    with pytest.raises(UnreadablePayload):
        adapter.parse_orders_page({"error_response": {"code": "19", "zh_desc": "token 过期"}}, {})


def test_has_no_push_to_accept():
    with pytest.raises(SignatureInvalid):
        JdAdapter().verify_webhook(CREDENTIALS, {}, b"{}")
    assert JdAdapter().parse_webhook({}, b"{}") == []


def test_stock_is_one_sku_a_call():
    with movable_clock(SIGNED_AT):
        requests = JdAdapter().stock_requests(CREDENTIALS, [StockPush("TEE-RED-M", 12, "100000000011"),
                                                            StockPush("CAP", 0, "100000000021", location_id="7")])
    assert [r.params["method"] for r in requests] == ["jingdong.stock.write.updateSkuStock"] * 2
    assert [json.loads(r.params["360buy_param_json"]) for r in requests] == [
        {"skuId": 100000000011, "stockNum": 12}, {"skuId": 100000000021, "stockNum": 0, "storeId": 7}]
    with pytest.raises(ValueError):
        JdAdapter().stock_requests(CREDENTIALS, [StockPush("NO-LISTING", 1)])


def test_ships_the_whole_order():
    request = JdAdapter().shipment_request({**CREDENTIALS, "base_url": "http://localhost:9002/routerjson"},
                                           ShipmentNotice("300000000001", "1499", "ZT0001"))
    assert request.url == "http://localhost:9002/routerjson"
    assert request.params["method"] == "jingdong.pop.order.shipment"
    assert json.loads(request.params["360buy_param_json"]) == {"orderId": "300000000001", "logiCoprId": "1499",
                                                               "logiNo": "ZT0001"}
    with pytest.raises(ValueError):
        JdAdapter().shipment_request(CREDENTIALS, ShipmentNotice("1", "1499", "T", lines=(("x", 1),)))
    # A parcel that is the whole order goes, though its lines are listed (the hub lists them on every notice).
    whole = JdAdapter().shipment_request(CREDENTIALS, ShipmentNotice("1", "1499", "T", lines=(("x", 1),), whole=True))
    assert json.loads(whole.params["360buy_param_json"]) == {"orderId": "1", "logiCoprId": "1499", "logiNo": "T"}


def test_the_hubs_carriers_go_as_jds_carrier_ids_and_a_refused_shipment_is_read_as_refused():
    def sent(carrier: str) -> str:
        request = JdAdapter().shipment_request(CREDENTIALS, ShipmentNotice("1", carrier, "W1"))
        return json.loads(request.params["360buy_param_json"])["logiCoprId"]

    assert [sent(c) for c in ("sf_express", "zto", "jd_logistics", "463")] == ["467", "1499", "2087", "463"]
    refused = {"jingdong_pop_order_shipment_responce": {"code": "0", "sopjosshipment_result": {
        "success": False, "errorCode": "x", "chineseErrCode": "物流公司ID不正确", "englishErrCode": "invalid"}}}
    shipped = {"jingdong_pop_order_shipment_responce": {"code": "0", "sopjosshipment_result": {"success": True}}}
    assert JdAdapter().response_error(refused) == "JOS shipment x: 物流公司ID不正确"
    assert JdAdapter().response_error(shipped) is None

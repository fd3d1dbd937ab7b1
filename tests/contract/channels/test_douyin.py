"""The Douyin (抖店) adapter against the signature vectors and a documented order shape.

No official order JSON sample was found (SOURCES.md, "Looked for but NOT saved"), so `shop_order()`
below is built here from the fields of order.orderDetail / order.searchList in the official Go SDK
(zsmhub/doudian-sdk mirror, api/order_orderDetail/response) with obviously fake data.
"""

import json
from datetime import UTC, datetime

import pytest

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.platforms.douyin import DouyinAdapter, param_json
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex, md5_hex
from flexhub.kernel import clock
from flexhub.testing import adapter_contract

AT = datetime.fromtimestamp(1700000000, UTC)


@pytest.fixture
def frozen_clock():
    previous = clock._now  # put back whatever was in force
    clock.set_clock(lambda: AT)
    yield AT
    clock.set_clock(previous)


@pytest.fixture
def credentials(signature_vectors):
    vector = signature_vectors["douyin_api"]
    return {"app_key": vector["app_key"], "app_secret": vector["app_secret"], "access_token": "fake_token"}


def shop_order(**changes):
    """A shop order as order.orderDetail's `data.shop_order_detail` carries it (fake values)."""
    order = {
        "order_id": "6900000000000000001", "order_status": 105, "order_status_desc": "已支付", "main_status": 105,
        "create_time": 1700000000, "update_time": 1700000300, "pay_time": 1700000060,
        "order_amount": 37600, "pay_amount": 36600, "post_amount": 800, "promotion_amount": 1000,
        "doudian_open_id": "FAKE_OPEN_ID", "mask_post_receiver": "张*", "mask_post_tel": "138****0000",
        "encrypt_post_receiver": "#FAKE#ENCRYPTED#NAME#", "encrypt_post_tel": "$FAKE$ENCRYPTED$TEL$",
        "post_addr": {"province": {"name": "浙江省", "id": "33"}, "city": {"name": "杭州市", "id": "3301"},
                      "town": {"name": "西湖区", "id": "330106"}, "street": {"name": "西溪街道", "id": "1"},
                      "detail": "", "encrypt_detail": "#FAKE#ENCRYPTED#DETAIL#"},
        "mask_post_addr": {"province": {"name": "浙江省"}, "city": {"name": "杭州市"}, "town": {"name": "西湖区"},
                           "detail": "文***号"},
        "sku_order_list": [
            {"order_id": "6900000000000000002", "parent_order_id": "6900000000000000001",
             "product_id": 3600000000000000001, "sku_id": 1700000000000000001, "code": "TEE-RED-M",
             "out_sku_id": "0", "item_num": 2,
             "origin_amount": 9900, "sum_amount": 19800, "promotion_amount": 1000, "product_name": "Fake tee",
             "pre_sale_type": 0, "room_id": 7300000000000000001, "room_id_str": "7300000000000000001",
             "author_id": 100000001, "author_name": "FAKE_STREAMER", "c_biz": 8, "b_type": 2},
            {"order_id": "6900000000000000003", "parent_order_id": "6900000000000000001",
             "product_id": 3600000000000000002, "sku_id": 1700000000000000002, "code": "",
             "out_sku_id": "MUG-BLUE", "item_num": 1,
             "origin_amount": 17000, "sum_amount": 17000, "promotion_amount": 0, "product_name": "Fake mug",
             "pre_sale_type": 0, "room_id": 0, "author_id": 0},
        ],
    }
    return {**order, **changes}


def test_meets_the_adapter_contract(credentials):
    adapter = DouyinAdapter()
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, credentials)


def test_api_sign_matches_the_vector(signature_vectors, credentials, frozen_clock):
    vector = signature_vectors["douyin_api"]
    request = DouyinAdapter().detail_requests(credentials, ["4781320682406083640"])[0]
    assert request.content.decode() == vector["param_json"]
    assert request.method == "POST" and request.url == "https://openapi-fxg.jinritemai.com/order/orderDetail"
    assert request.params == {"app_key": vector["app_key"], "method": vector["method"],
                              "timestamp": vector["timestamp"], "v": "2", "sign_method": vector["sign_method"],
                              "access_token": "fake_token", "sign": vector["sign"]}


def test_md5_sign_method_signs_the_same_string(credentials, frozen_clock):
    request = DouyinAdapter().detail_requests({**credentials, "sign_method": "md5"}, ["1"])[0]
    pattern = (f"fake_secretapp_key{credentials['app_key']}methodorder.orderDetailparam_json"
               '{"shop_order_id":"1"}timestamp1700000000v2fake_secret')
    assert request.params["sign_method"] == "md5" and request.params["sign"] == md5_hex(pattern)


def test_param_json_sorts_keys_at_every_level_and_escapes_nothing():
    assert param_json({"b": 1, "a": {"y": "<&>", "x": "直播"}}) == '{"a":{"x":"直播","y":"<&>"},"b":1}'


def test_push_signature_and_references(signature_vectors):
    vector = signature_vectors["douyin_push_event_sign_md5"]
    credentials = {"app_key": vector["app_key"], "app_secret": vector["app_secret"]}
    body, headers = vector["raw_body"].encode(), {"event-sign": vector["event-sign"], "app-id": vector["app_key"]}
    adapter = DouyinAdapter()
    adapter_contract.check_webhook_signature(adapter, credentials, headers, body)
    assert adapter.parse_webhook(headers, body) == [OrderReference("4781320682406083640", None)]
    with pytest.raises(SignatureInvalid):  # an undocumented scheme is refused, not guessed
        adapter.verify_webhook(credentials, {**headers, "sign-method": "hmac-sha256"}, body)


def test_push_of_several_messages_keeps_order_ids_and_skips_the_test_message():
    body = json.dumps([
        {"tag": "0", "msg_id": "0", "data": "{}"},
        {"tag": "106", "msg_id": "7", "data": json.dumps({"p_id": 6900000000000000001, "cancel_time": 1700000400})},
    ]).encode()
    assert DouyinAdapter().parse_webhook({}, body) == [
        OrderReference("6900000000000000001", datetime.fromtimestamp(1700000400, UTC))]


def test_order_in_canonical_terms():
    answer = {"code": 10000, "msg": "success", "data": {"shop_order_detail": shop_order()}}
    assert DouyinAdapter().parse_details(answer) == [shop_order()]
    order = DouyinAdapter().parse_order(answer)
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "6900000000000000001", "paid", "105 已支付", "CNY")
    tee, mug = order.lines
    assert (tee.external_sku, tee.quantity, tee.unit_price, tee.discount) == ("TEE-RED-M", 2, 9900, 1000)
    assert (tee.external_item_id, tee.external_line_id) == ("3600000000000000001:1700000000000000001",
                                                            "6900000000000000002")
    assert (mug.external_sku, mug.unit_price, mug.discount) == ("MUG-BLUE", 17000, 0)
    assert order.shipping_fee == 800 and order.order_discount == 0
    assert order.placed_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert order.updated_at == datetime.fromtimestamp(1700000300, UTC)
    assert (order.live_room, order.streamer, order.presale) == ("7300000000000000001", "FAKE_STREAMER", False)
    assert order.buyer == {"name": "张*", "phone": "138****0000", "external_id": "FAKE_OPEN_ID",
                           "encrypted_name": "#FAKE#ENCRYPTED#NAME#", "encrypted_phone": "$FAKE$ENCRYPTED$TEL$"}
    assert order.shipping_address == {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区",
                                      "street": "西溪街道", "line1": "文***号",
                                      "encrypted_line1": "#FAKE#ENCRYPTED#DETAIL#"}


@pytest.mark.parametrize(("order_status", "main_status", "status"), [
    (1, 1, "unpaid"), (105, 105, "paid"), (2, 2, "paid"), (101, 101, "paid"), (3, 3, "shipped"),
    (5, 5, "delivered"), (4, 4, "cancelled"), (4, 21, "refunded"), (5, 39, "refunded"),
])
def test_status_mapping(order_status, main_status, status):
    order = DouyinAdapter().parse_order(shop_order(order_status=order_status, main_status=main_status))
    assert order.status == status


def test_presale_and_unknown_status():
    presale = shop_order(sku_order_list=[{**shop_order()["sku_order_list"][0], "pre_sale_type": 1}])
    assert DouyinAdapter().parse_order(presale).presale is True
    with pytest.raises(ValueError, match="order_status"):
        DouyinAdapter().parse_order(shop_order(order_status=77, main_status=77))


def test_orders_request_and_pages(credentials, frozen_clock):
    adapter = DouyinAdapter()
    since, until = datetime(2025, 6, 18, 0, 0, tzinfo=UTC), datetime(2025, 6, 18, 1, 0, tzinfo=UTC)
    request = adapter.orders_request(credentials, since, until, "2")
    assert request.url == "https://openapi-fxg.jinritemai.com/order/searchList"
    assert json.loads(request.content) == {"order_asc": True, "order_by": "update_time", "page": 2, "size": 100,
                                           "update_time_start": 1750204800, "update_time_end": 1750208399}
    assert request.params["sign"] == hmac_sha256_hex("fake_secret", (
        f"fake_secretapp_key{credentials['app_key']}methodorder.searchListparam_json{request.content.decode()}"
        "timestamp1700000000v2fake_secret"))
    page = adapter.parse_orders_page({"code": 10000, "data": {"page": 0, "size": 100, "total": 101,
                                                              "shop_order_list": [shop_order()]}}, {})
    assert page.next_cursor == "1" and adapter.parse_order(page.orders[0]).external_id == "6900000000000000001"
    last = adapter.parse_orders_page({"code": 10000, "data": {"page": 1, "size": 100, "total": 101,
                                                              "shop_order_list": [shop_order()]}}, {})
    assert last.next_cursor is None
    with pytest.raises(ValueError, match="douyin 40004"):
        adapter.parse_orders_page({"code": 40004, "msg": "fail", "sub_code": "isv.x", "sub_msg": "token"}, {})


def test_stock_and_shipment_requests(credentials, frozen_clock):
    adapter = DouyinAdapter()
    [request] = adapter.stock_requests(credentials, [StockPush(
        "TEE-RED-M", 7, external_item_id="3600000000000000001:1700000000000000001", idempotency_key="k-1")])
    assert request.url == "https://openapi-fxg.jinritemai.com/sku/syncStock"
    assert request.params["method"] == "sku.syncStock"
    assert json.loads(request.content) == {"incremental": False, "stock_num": 7, "idempotent_id": "k-1",
                                           "product_id": 3600000000000000001, "sku_id": 1700000000000000001}
    [by_code] = adapter.stock_requests({**credentials, "base_url": "http://sandbox.local"}, [StockPush("TEE", -3)])
    assert by_code.url == "http://sandbox.local/sku/syncStock"
    assert json.loads(by_code.content) == {"code": "TEE", "incremental": False, "stock_num": 0}
    # Several SKUs of one product go in one sku.syncStockBatch; a lone SKU of another product by itself.
    batch, lone = adapter.stock_requests(credentials, [
        StockPush("TEE-RED-M", 7, external_item_id="36:171"), StockPush("TEE-RED-L", -1, external_item_id="36:172"),
        StockPush("CAP", 2, external_item_id="37:180", idempotency_key="k-2")])
    assert batch.url.endswith("/sku/syncStockBatch") and batch.params["method"] == "sku.syncStockBatch"
    assert json.loads(batch.content) == {"product_id": 36, "incremental": False, "sku_sync_list": [
        {"sku_id": 171, "sku_type": 0, "stock_num": 7}, {"sku_id": 172, "sku_type": 0, "stock_num": 0}]}
    assert json.loads(lone.content) == {"incremental": False, "stock_num": 2, "idempotent_id": "k-2",
                                        "product_id": 37, "sku_id": 180}
    shipment = adapter.shipment_request(credentials, ShipmentNotice("6900000000000000001", "shunfeng", "SF100"))
    assert shipment.url.endswith("/order/logisticsAdd")
    assert json.loads(shipment.content) == {"company_code": "shunfeng", "logistics_code": "SF100",
                                            "order_id": "6900000000000000001"}
    hubs = [json.loads(adapter.shipment_request(credentials, ShipmentNotice("1", carrier, "W1")).content)
            ["company_code"] for carrier in ("sf_express", "zto", "jd_logistics")]
    assert hubs == ["shunfeng", "zhongtong", "jd"]  # the hub's carriers as Douyin's company codes
    assert adapter.response_error({"code": 10000}) is None and "50002" in adapter.response_error({"code": 50002})

"""The Kuaishou (快手小店) adapter against the signature vectors, the doc's push encryption and a documented order.

No official order JSON sample was found (SOURCES.md, "Looked for but NOT saved"), so `order_detail()`
is built here from the documented fields of open.order.cursor.list / open.order.detail
(orderBaseInfo, orderItemInfo, orderAddress, orderCpsInfo) with obviously fake data.
The push vector `PUSH_BODY` is SELF-COMPUTED from doc 401854's algorithm (AES/CBC/PKCS5Padding,
zero IV, Base64 key) with a fake key; it is not an official vector.
"""

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.platforms.kuaishou import KuaishouAdapter
from flexhub.integrations.signing import SignatureInvalid
from flexhub.kernel import clock
from flexhub.testing import adapter_contract

AT = datetime.fromtimestamp(1700000000, UTC)
MESSAGE_KEY = "ZmFrZS1tZXNzYWdlLWtleQ=="  # Base64 of b"fake-message-key"
PUSH_PLAIN = ('{"eventId":"267_2345_147402","bizId":2500000000000000,"userId":12342323,"openId":"FAKE_OPEN_ID",'
              '"appKey":"ks000000000000000000","event":"kwaishop_order_paySuccess","info":"{\\"oid\\":2500000000000000,'
              '\\"sellerId\\":12342323,\\"status\\":30,\\"updateTime\\":1700000000123}","createTime":1700000000456}')
PUSH_BODY = (
    "B7yrge/SaarhtNgZXL8FF/RS+YkswCvaUf7htAJ/bQwdzQQnWrjraLsP63nBAo/JjYLDZCQ5NtupvFTCeivF+Rx/Jvyvr/vqhacEwjG4x9E60"
    "sP61nHj50dYcsYv7E2ZSD4RwudT0v3Uk2YIMiyTXHz0hUSv7/9vzPzwf4ug2nhREIpKLCivYH0qSk1Ov9exssORpKTdNUUIN3bNogoEuxFPyS"
    "hnOujrFhTiYkylHbDtQN8TJqzf185bubZWxY18YqaJ6J6r0SqP+iwtOT82XOoCoHhXh0WBnPCKBE9Yxm5gYwMTZMnM0QNHUA+U5BfTKnY6PVP"
    "yX2L5kFaAu9HTbABoq1xF9x9cyBV7VvDMbeb6JXDS1osU5iU93h2vgR9H3EpBP2dWTfwrfgVFI73bJw=="
)


@pytest.fixture
def frozen_clock():
    previous = clock._now  # put back whatever was in force
    clock.set_clock(lambda: AT)
    yield AT
    clock.set_clock(previous)


@pytest.fixture
def credentials(signature_vectors):
    vector = signature_vectors["kuaishou_hmac_sha256"]
    return {"app_key": vector["params"]["appkey"], "app_secret": "fake_app_secret", "sign_secret": vector["signSecret"],
            "access_token": vector["params"]["access_token"], "message_private_key": MESSAGE_KEY}


def encrypt(plain: str, key: str = MESSAGE_KEY) -> bytes:
    """The doc's encryption, for variants of the pinned vector."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(base64.b64decode(key)), modes.CBC(bytes(16))).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize())


def order_detail(**base_changes):
    """One order as open.order.cursor.list's orderList / open.order.detail's data carries it (fake values)."""
    return {
        "orderBaseInfo": {
            "oid": 2500000000000000, "status": 30, "createTime": 1700000000000, "updateTime": 1700000300000,
            "payTime": 1700000060000, "totalFee": 18800, "expressFee": 600, "discountFee": 1000, "preSale": 0,
            "buyerOpenId": "FAKE_BUYER_OPEN_ID", "buyerNick": "fake-buyer", "sellerNick": "fake-shop", "cpsType": 2,
            **base_changes},
        "orderItemInfo": {
            "itemId": 21000000001, "skuId": 31000000001, "relSkuId": 0, "relItemId": 0, "skuNick": "TEE-RED-M",
            "skuDesc": "红色 M", "itemTitle": "Fake tee", "num": 2, "price": 9900, "originalPrice": 12900,
            "discountFee": 0, "orderItemId": 41000000001},
        "orderAddress": {
            "consignee": "", "desensitiseConsignee": "李*", "encryptedConsignee": "#FAKE#ENCRYPTED#NAME#",
            "mobile": "", "desensitiseMobile": "139****0000", "encryptedMobile": "$FAKE$ENCRYPTED$MOBILE$",
            "province": "广东省", "provinceCode": 440000, "city": "深圳市", "cityCode": 440300, "district": "南山区",
            "districtCode": 440305, "town": "粤海街道", "address": "", "desensitiseAddress": "科技园***号",
            "encryptedAddress": "#FAKE#ENCRYPTED#ADDRESS#"},
        "orderCpsInfo": {"distributorId": 51000000001, "distributorName": "FAKE_STREAMER"},
        "orderRefundList": [], "orderLogisticsInfo": [],
    }


def test_meets_the_adapter_contract(credentials):
    adapter = KuaishouAdapter()
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, credentials)


@pytest.mark.parametrize("vector_name", ["kuaishou_hmac_sha256", "kuaishou_md5"])
def test_api_sign_matches_the_vectors(signature_vectors, credentials, frozen_clock, vector_name):
    vector = signature_vectors[vector_name]
    sign_method = vector["params"]["signMethod"]
    request = KuaishouAdapter().detail_requests({**credentials, "sign_method": sign_method}, ["2500000000000000"])[0]
    assert request.method == "GET" and request.url == "https://openapi.kwaixiaodian.com/open/order/detail"
    assert request.params == {**vector["params"], "sign": vector["sign"]}


def test_post_calls_carry_param_in_the_form_body(credentials, frozen_clock):
    request = KuaishouAdapter().shipment_request(credentials, ShipmentNotice("2500000000000000", "4", "SF100"))
    assert request.method == "POST" and request.url.endswith("/open/seller/order/goods/deliver")
    assert request.headers == {"content-type": "application/x-www-form-urlencoded"}
    assert request.content == (b"param=%7B%22expressCode%22%3A4%2C%22expressNo%22%3A%22SF100%22%2C"
                               b"%22orderId%22%3A2500000000000000%7D")
    assert "param" not in request.params and request.params["method"] == "open.seller.order.goods.deliver"
    with pytest.raises(ValueError, match="expressCode"):
        KuaishouAdapter().shipment_request(credentials, ShipmentNotice("1", "shunfeng", "SF1"))


def test_the_hubs_carriers_go_as_kuaishous_express_codes(credentials, frozen_clock):
    """物流公司编号 (doc 401927): 顺丰速运 4, 中通快递 9, 京东 14, DHL中国件 20 (the hub's own code was refused)."""
    def sent(carrier: str) -> int:
        request = KuaishouAdapter().shipment_request(credentials, ShipmentNotice("1", carrier, "W1"))
        return json.loads(parse_qs(request.content.decode())["param"][0])["expressCode"]

    assert [sent(c) for c in ("sf_express", "zto", "jd_logistics", "dhl", "109")] == [4, 9, 14, 20, 109]


def test_push_decrypts_with_the_message_key_and_names_the_order(credentials):
    adapter = KuaishouAdapter()
    body = PUSH_BODY.encode()
    assert adapter.open_webhook(credentials, {}, body).decode() == PUSH_PLAIN
    adapter.verify_webhook(credentials, {}, body + b"\n")  # surrounding whitespace does not change the text
    opened = adapter.open_webhook(credentials, {}, body)
    assert adapter.parse_webhook({}, opened) == [
        OrderReference("2500000000000000", datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC))]
    with pytest.raises(ValueError, match="open_webhook"):
        adapter.parse_webhook({}, body)  # the raw ciphertext is not a message


@pytest.mark.parametrize("change", [
    lambda c, b: (c, b[:-8] + b"AAAAAAA="),  # a changed ciphertext
    lambda c, b: (c, b"not base64 at all"),
    lambda c, b: ({**c, "message_private_key": base64.b64encode(b"another-key-0000").decode()}, b),
    lambda c, b: ({**c, "app_key": "ks_another_app"}, b),  # someone else's message, even if it decrypts
    lambda c, b: (c, encrypt(PUSH_PLAIN, base64.b64encode(b"another-key-0000").decode())),
])
def test_push_refused(credentials, change):
    refused_credentials, body = change(credentials, PUSH_BODY.encode())
    with pytest.raises(SignatureInvalid):
        KuaishouAdapter().verify_webhook(refused_credentials, {}, body)


def test_heartbeat_and_other_events_import_nothing(credentials):
    adapter = KuaishouAdapter()
    heartbeat = b'{"test":true}'
    assert adapter.open_webhook(credentials, {}, heartbeat) == heartbeat
    assert adapter.parse_webhook({}, heartbeat) == []
    refund = json.dumps({"event": "kwaishop_aftersales_addRefund", "appKey": credentials["app_key"], "info": "{}"})
    assert adapter.parse_webhook({}, adapter.open_webhook(credentials, {}, encrypt(refund))) == []


def test_order_in_canonical_terms():
    assert KuaishouAdapter().parse_details({"result": 1, "data": order_detail()}) == [order_detail()]
    with pytest.raises(ValueError, match="kuaishou 2001"):
        KuaishouAdapter().parse_details({"result": 2001, "error_msg": "endTime无效"})
    order = KuaishouAdapter().parse_order({"result": 1, "data": order_detail()})
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "2500000000000000", "paid", "30", "CNY")
    [line] = order.lines
    assert (line.external_sku, line.quantity, line.unit_price, line.discount) == ("TEE-RED-M", 2, 9900, 0)
    assert (line.external_item_id, line.external_line_id, line.title) == ("21000000001:31000000001", "41000000001",
                                                                          "Fake tee")
    assert (order.shipping_fee, order.order_discount, order.presale) == (600, 1000, False)
    assert order.placed_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert order.updated_at == datetime(2023, 11, 14, 22, 18, 20, tzinfo=UTC)
    assert (order.streamer, order.live_room) == ("FAKE_STREAMER", None)
    assert order.buyer == {"name": "李*", "phone": "139****0000", "external_id": "FAKE_BUYER_OPEN_ID",
                           "nickname": "fake-buyer", "encrypted_name": "#FAKE#ENCRYPTED#NAME#",
                           "encrypted_phone": "$FAKE$ENCRYPTED$MOBILE$"}
    assert order.shipping_address == {"country": "CN", "province": "广东省", "city": "深圳市", "district": "南山区",
                                      "street": "粤海街道", "line1": "科技园***号",
                                      "encrypted_line1": "#FAKE#ENCRYPTED#ADDRESS#"}


@pytest.mark.parametrize(("code", "status"), [
    (10, "unpaid"), (30, "paid"), (40, "shipped"), (50, "delivered"), (70, "delivered"), (80, "cancelled")])
def test_status_mapping(code, status):
    assert KuaishouAdapter().parse_order(order_detail(status=code)).status == status


def test_unknown_status_and_presale():
    with pytest.raises(ValueError, match="status"):
        KuaishouAdapter().parse_order(order_detail(status=0))
    assert KuaishouAdapter().parse_order(order_detail(preSale=1)).presale is True


def test_orders_request_and_pages(credentials, frozen_clock):
    adapter = KuaishouAdapter()
    since, until = datetime(2025, 6, 18, 0, 0, tzinfo=UTC), datetime(2025, 6, 18, 1, 0, tzinfo=UTC)
    request = adapter.orders_request(credentials, since, until, None)
    assert request.method == "GET" and request.url == "https://openapi.kwaixiaodian.com/open/order/cursor/list"
    assert json.loads(request.params["param"]) == {
        "beginTime": 1750204800000, "endTime": 1750208399999, "cpsType": 0, "cursor": "", "orderViewStatus": 1,
        "pageSize": 100, "queryType": 2, "sort": 1}
    assert request.params["timestamp"] == "1700000000000"
    page = adapter.parse_orders_page({"result": 1, "data": {"cursor": "157356441188_2021345676543",
                                                            "orderList": [order_detail()]}}, {})
    assert page.next_cursor == "157356441188_2021345676543"
    assert adapter.parse_order(page.orders[0]).external_id == "2500000000000000"
    assert adapter.parse_orders_page({"result": 1, "data": {"cursor": "nomore", "orderList": [order_detail()]}},
                                     {}).next_cursor is None
    with pytest.raises(ValueError, match="kuaishou 24"):
        adapter.parse_orders_page({"result": 24, "error_msg": "AUTHORIZATION_REVOKED"}, {})


def test_stock_changes_by_the_difference_from_what_the_platform_shows(credentials, frozen_clock):
    adapter = KuaishouAdapter()
    ref = "21000000001:31000000001"
    add, take = adapter.stock_requests({**credentials, "base_url": "http://sandbox.local"}, [
        StockPush("TEE-RED-M", 18, external_item_id=ref, previous_quantity=10),
        StockPush("TEE-RED-M", 7, external_item_id=ref, previous_quantity=10)])
    assert add.url == "http://sandbox.local/open/item/sku/stock/update"
    assert add.content.decode() == (
        "param=%7B%22changeType%22%3A1%2C%22kwaiItemId%22%3A21000000001%2C%22skuChangeStock%22%3A8%2C"
        "%22skuId%22%3A31000000001%7D")
    assert b"%22changeType%22%3A2" in take.content and b"%22skuChangeStock%22%3A3" in take.content
    assert adapter.stock_requests(credentials, [StockPush("X", 5, external_item_id=ref, previous_quantity=5)]) == []
    with pytest.raises(ValueError, match="previous_quantity"):
        adapter.stock_requests(credentials, [StockPush("X", 5, external_item_id=ref)])
    assert adapter.response_error({"result": 1}) is None

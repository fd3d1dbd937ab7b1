"""The WeChat shop (微信小店/视频号小店) adapter against the official samples and the push vectors.

Sources: the order-deliver callback and stock-update samples are OFFICIAL (../shared/fixtures);
`wechat_server_push_plain` is SELF-COMPUTED (SOURCES.md). `SAFE_MODE` is SELF-COMPUTED here from
the documented safe-mode algorithm (fake key, fixed 16-byte random) around the official callback
sample. `OFFICIAL_E` / `OFFICIAL_A` are WeChat's own example values (the 消息推送 doc's safe-mode
example; the message-crypto sample code's testAesEncrypt), as transcribed in public code and
re-verified here. The order in `channels_order()` is built from the documented Order structure of
/channels/ec/order/get with fake data (no full official order sample is saved).

`adapter_contract.check_webhook_signature` is not used: plain mode does not sign the body at all,
and safe mode signs the `Encrypt` field, not the raw bytes, so "append a space to the body" is
not a change to anything signed. The refusals that do apply are tested one by one below.
"""

import json
from datetime import UTC, datetime

import pytest

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.platforms.wechat import WechatAdapter, decrypt
from flexhub.integrations.signing import SignatureInvalid, sha1_hex
from flexhub.testing import adapter_contract

SAFE_MODE = {
    "token": "fake_token", "appid": "wx0000000000000000",
    "encoding_aes_key": "ZmxleGh1Yi1mYWtlLWVuY29kaW5nLWFlcy1rZXktMzI",
    "timestamp": "1700000000", "nonce": "123456", "msg_signature": "25aefa48da969dc4b8b026fe761ea5b071ac4536",
    "Encrypt": ("QaNwBSWJO253pDg3nkZerrEyWe9Sxou1kXZXwazFQuxG6Wfw8aS9NWuYPdWXA9Ph54yI1LU90euA3Yp6vSQHhhdALThJOhdPqTe0UC"
                "3751WXalrXV67UyJZpbtXSKzVzPCKJKDCsBRb/q6BFLopzaGiZfMZGOxGZ72aTqQCYit4+oAdJAKX6fLRQ1HuSJdWvLG0ce85mLx"
                "GYKgGu1crEnIWd08jDcCavw1/51BjgKRLKmserJ1olMQrX98LdvTxCGMknQ94BrUOEpjiN5Vc7iQultiugndznTUUxGDu3KsayRsPT"
                "RJxuz2SNPCVXJamamAP/hYqUoKhXQGax+3/6+A=="),
}
OFFICIAL_E = {
    "token": "AAAAA", "encoding_aes_key": "A" * 43, "appid": "wx134c8103faa5a59e", "timestamp": "1715943329",
    "nonce": "1590219412", "msg_signature": "6c12a4205838198b8fa631b3220723bb07f1015c",
    "Encrypt": ("D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjD"
                "v8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0ME"
                "A4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcU"
                "YrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQi"
                "Y/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg=="),
}
OFFICIAL_A = {"encoding_aes_key": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "appid": "wxb11529c136998cb6",
              "message": "我是中文abcd123",
              "Encrypt": "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="}


def credentials(vector=SAFE_MODE, **changes):
    base = {"appid": vector["appid"], "appsecret": "fake_appsecret", "access_token": "FAKE_ACCESS_TOKEN",
            "token": vector["token"], "encoding_aes_key": vector["encoding_aes_key"]}
    return {**base, **changes}


def safe_push(vector=SAFE_MODE, encrypted=None, **query_changes):
    """(query handed in as headers, body) of a safe-mode push; a None in the changes drops that parameter."""
    query = {"timestamp": vector["timestamp"], "nonce": vector["nonce"], "encrypt_type": "aes",
             "msg_signature": vector["msg_signature"], "signature": "ignored-in-safe-mode", **query_changes}
    body = json.dumps({"ToUserName": "gh_*", "Encrypt": encrypted or vector["Encrypt"]}).encode()
    return {k: v for k, v in query.items() if v is not None}, body


def channels_order(**changes):
    """An Order as /channels/ec/order/get's `order` carries it (documented fields, fake values)."""
    order = {
        "order_id": "3705115058471208928", "status": 20, "create_time": 1700000000, "update_time": 1700000300,
        "openid": "FAKE_OPENID",
        "order_detail": {
            "product_infos": [
                {"product_id": "10000000001", "sku_id": "20000000001", "out_sku_id": "TEE-RED-M", "sku_code": "TR-M",
                 "sku_cnt": 2, "sale_price": 9900, "market_price": 12900, "estimate_price": 18800,
                 "title": "Fake tee"},
                {"product_id": "10000000002", "sku_id": "20000000002", "sku_code": "MUG-BLUE", "sku_cnt": 1,
                 "sale_price": 17000, "estimate_price": 17000, "title": "Fake mug"},
            ],
            "price_info": {"product_price": 36800, "order_price": 36400, "freight": 600, "discounted_price": 1000},
            "delivery_info": {"address_info": {
                "user_name": "王*", "postal_code": "510000", "province_name": "广东省", "city_name": "广州市",
                "county_name": "海珠区", "detail_info": "新港中路***号", "national_code": "440105",
                "tel_number": "", "virtual_order_tel_number": "95013000000000-1234",
                "tel_number_ext_info": {"real_tel_number": "137****0000"}}},
            "ext_info": {"finder_id": "FAKE_FINDER_ID", "live_id": "FAKE_LIVE_ID", "order_scene": 2},
        },
    }
    return {**order, **changes}


def test_meets_the_adapter_contract():
    adapter = WechatAdapter()
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, credentials())


def test_url_check_and_plain_mode_signature(signature_vectors):
    vector = signature_vectors["wechat_server_push_plain"]
    query = {"signature": vector["signature"], "timestamp": vector["timestamp"], "nonce": vector["nonce"],
             "echostr": "4375120948345356249"}
    adapter, keys = WechatAdapter(), credentials(token=vector["token"])
    adapter.verify_webhook(keys, query, b"")  # the GET check: answer echostr when this passes
    for refused_keys, refused_query in [({**keys, "token": "other"}, query), (keys, {**query, "signature": "0" * 40}),
                                        (keys, {**query, "nonce": "654321"}), (keys, {})]:
        with pytest.raises(SignatureInvalid):
            adapter.verify_webhook(refused_keys, refused_query, b"")


def test_safe_mode_opens_the_self_computed_vector(sample_json):
    headers, body = safe_push()
    opened = WechatAdapter().open_webhook(credentials(), headers, body)
    assert json.loads(opened) == sample_json("wechat_shop_channels_ec_order_deliver_callback_example.json")
    assert WechatAdapter().parse_webhook(headers, opened) == [
        OrderReference("3705115058471208928", datetime(2022, 9, 6, 16, 0, tzinfo=UTC))]
    with pytest.raises(ValueError, match="open_webhook"):
        WechatAdapter().parse_webhook(headers, body)  # the envelope itself is not the message


@pytest.mark.parametrize(("keys", "push"), [
    (credentials(), safe_push(encrypted=SAFE_MODE["Encrypt"][:-8] + "AAAAAAA=")),
    (credentials(), safe_push(msg_signature="0" * 40)),
    (credentials(), safe_push(msg_signature=None)),
    (credentials(token="other_token"), safe_push()),
    (credentials(encoding_aes_key=SAFE_MODE["encoding_aes_key"] + "x"), safe_push()),
    (credentials(encoding_aes_key="B" * 43), safe_push()),
    (credentials(appid="wx_someone_else"), safe_push()),
], ids=["changed-ciphertext", "changed-signature", "no-signature", "other-token", "malformed-key", "other-key",
        "other-appid"])
def test_safe_mode_refusals(keys, push):
    headers, body = push
    with pytest.raises(SignatureInvalid):
        WechatAdapter().verify_webhook(keys, headers, body)


def test_a_re_signed_ciphertext_that_is_not_ours_is_refused():
    """Whoever knows the token can sign any Encrypt; only the key holder can make one that decrypts."""
    for forged in (SAFE_MODE["Encrypt"][:-8] + "AAAAAAA=", OFFICIAL_A["Encrypt"]):
        signature = sha1_hex("".join(sorted([SAFE_MODE["token"], SAFE_MODE["timestamp"], SAFE_MODE["nonce"], forged])))
        headers, body = safe_push(encrypted=forged, msg_signature=signature)
        with pytest.raises(SignatureInvalid):
            WechatAdapter().verify_webhook(credentials(), headers, body)


def test_official_safe_mode_example_verifies_and_decrypts():
    headers, body = safe_push(OFFICIAL_E)
    opened = WechatAdapter().open_webhook(credentials(OFFICIAL_E), headers, body)
    assert len(opened) == 292 and b"<Event><![CDATA[debug_demo]]></Event>" in opened


def test_official_crypto_sample_decrypts():
    assert decrypt(OFFICIAL_A["encoding_aes_key"], OFFICIAL_A["Encrypt"]) == (
        OFFICIAL_A["message"].encode(), OFFICIAL_A["appid"].encode())


def test_plain_mode_callback_sample_names_the_order(sample_json):
    body = json.dumps(sample_json("wechat_shop_channels_ec_order_deliver_callback_example.json")).encode()
    assert WechatAdapter().parse_webhook({}, body) == [
        OrderReference("3705115058471208928", datetime(2022, 9, 6, 16, 0, tzinfo=UTC))]
    assert WechatAdapter().parse_webhook({}, b'{"Event":"product_spu_update","MsgType":"event"}') == []


def test_order_in_canonical_terms():
    order = WechatAdapter().parse_order({"errcode": 0, "errmsg": "ok", "order": channels_order()})
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "3705115058471208928", "paid", "20", "CNY")
    tee, mug = order.lines
    assert (tee.external_sku, tee.quantity, tee.unit_price, tee.discount) == ("TEE-RED-M", 2, 9900, 1000)
    assert (tee.external_item_id, tee.external_line_id) == ("10000000001:20000000001", "10000000001:20000000001")
    assert (mug.external_sku, mug.discount) == ("MUG-BLUE", 0)
    assert (order.shipping_fee, order.order_discount) == (600, 0)
    assert (order.placed_at, order.updated_at) == (datetime.fromtimestamp(1700000000, UTC),
                                                   datetime.fromtimestamp(1700000300, UTC))
    assert (order.live_room, order.streamer) == ("FAKE_LIVE_ID", "FAKE_FINDER_ID")
    assert order.buyer == {"name": "王*", "phone": "137****0000", "external_id": "FAKE_OPENID",
                           "virtual_phone": "95013000000000-1234"}
    assert order.shipping_address == {"country": "CN", "province": "广东省", "city": "广州市", "district": "海珠区",
                                      "line1": "新港中路***号", "postal_code": "510000", "national_code": "440105"}


def test_order_discount_when_the_lines_carry_none():
    order = channels_order()
    for product in order["order_detail"]["product_infos"]:
        del product["estimate_price"]
    parsed = WechatAdapter().parse_order(order)
    assert parsed.order_discount == 1000 and all(line.discount == 0 for line in parsed.lines)


@pytest.mark.parametrize(("code", "status"), [
    (10, "unpaid"), (12, "paid"), (13, "paid"), (20, "paid"), (21, "paid"), (30, "shipped"), (100, "delivered"),
    (200, "refunded"), (250, "cancelled")])
def test_status_mapping(code, status):
    assert WechatAdapter().parse_order(channels_order(status=code)).status == status


def test_unknown_status_and_id_only_orders():
    with pytest.raises(ValueError, match="status"):
        WechatAdapter().parse_order(channels_order(status=99))
    with pytest.raises(ValueError, match="detail_requests"):
        WechatAdapter().parse_order({"order_id": "1"})


def test_orders_request_and_pages():
    adapter = WechatAdapter()
    since, until = datetime(2025, 6, 18, 0, 0, tzinfo=UTC), datetime(2025, 6, 18, 1, 0, tzinfo=UTC)
    request = adapter.orders_request(credentials(), since, until, "NEXT")
    assert (request.method, request.url) == ("POST", "https://api.weixin.qq.com/channels/ec/order/list/get")
    assert request.params == {"access_token": "FAKE_ACCESS_TOKEN"}
    assert request.json == {"update_time_range": {"start_time": 1750204800, "end_time": 1750208399},
                            "page_size": 100, "next_key": "NEXT"}
    page = adapter.parse_orders_page({"errcode": 0, "order_id_list": ["1", "2"], "next_key": "K2", "has_more": True},
                                     {})
    assert page == page.__class__(({"external_id": "1"}, {"external_id": "2"}), "K2")
    assert adapter.parse_orders_page({"errcode": 0, "order_id_list": ["3"], "next_key": "K3", "has_more": False},
                                     {}).next_cursor is None
    [detail] = adapter.detail_requests(credentials(), ["1"])
    assert (detail.url, detail.json) == ("https://api.weixin.qq.com/channels/ec/order/get", {"order_id": "1"})
    assert adapter.parse_details({"errcode": 0, "order": channels_order()}) == [channels_order()]
    with pytest.raises(ValueError, match="wechat 40001"):
        adapter.parse_details({"errcode": 40001, "errmsg": "invalid credential"})
    with pytest.raises(ValueError, match="wechat 40001"):
        adapter.parse_orders_page({"errcode": 40001, "errmsg": "invalid credential"}, {})


def test_stock_request_has_the_official_sample_shape(sample_json):
    sample = sample_json("wechat_shop_product_stock_update_example.json")
    push = StockPush("TEE-RED-M", 10, external_item_id="324545:9328425")
    [request] = WechatAdapter().stock_requests(credentials(), [push])
    assert f"{request.method} {request.url}?access_token={request.params['access_token']}" == (
        sample["endpoint"].replace("ACCESS_TOKEN", "FAKE_ACCESS_TOKEN"))
    assert request.json == {**sample["request"], "diff_type": 3}  # 3 sets the figure (the sample adds: 1)
    [clamped] = WechatAdapter().stock_requests(credentials(base_url="http://sandbox.local"), [StockPush("X", -2, "7")])
    assert clamped.url == "http://sandbox.local/channels/ec/product/stock/update"
    assert clamped.json == {"sku_id": "7", "diff_type": 3, "num": 0}
    assert WechatAdapter().response_error(sample["response"]) is None


def test_shipment_request_lists_the_parcel():
    notice = ShipmentNotice("3705115058471208928", "SF", "SF1000", lines=(("10000000001:20000000001", 2),))
    request = WechatAdapter().shipment_request(credentials(), notice)
    assert request.url == "https://api.weixin.qq.com/channels/ec/order/delivery/send"
    assert request.json == {"order_id": "3705115058471208928", "delivery_list": [{
        "delivery_id": "SF", "waybill_id": "SF1000", "deliver_type": 1,
        "product_infos": [{"product_id": "10000000001", "sku_id": "20000000001", "product_cnt": 2}]}]}
    with pytest.raises(ValueError, match="lines"):
        WechatAdapter().shipment_request(credentials(), ShipmentNotice("1", "SF", "SF1"))
    hubs = ShipmentNotice("3705115058471208928", "sf_express", "SF1000", lines=(("10000000001:20000000001", 2),))
    assert WechatAdapter().shipment_request(credentials(), hubs).json == request.json  # the hub's carrier, WeChat's id

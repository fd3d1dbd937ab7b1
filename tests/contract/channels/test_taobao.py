"""Taobao/Tmall TOP against our signature vectors and a trade built from TOP's documented fields.

No official taobao.trade.fullinfo.get sample was saved (the public ones hold real buyers' data; see
../shared/fixtures/channels/SOURCES.md), so `fake_trade` builds one from the Trade and Order models that
bububa/opentaobao generates from TOP's metadata (model/trade/Trade.go, Order.go), with obviously fake
buyer data. The TMC message follows the TmcMessage model and NotifyTrade's content fields.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.errors import UnreadablePayload
from flexhub.channels.platforms.taobao import PRODUCTION, TaobaoAdapter, TmallAdapter, signed_request, top_sign
from flexhub.integrations.signing import SignatureInvalid
from flexhub.testing import adapter_contract
from flexhub.testing.clocks import movable_clock

SIGNED_AT = datetime(2026, 1, 1, 4, 0, tzinfo=UTC)  # 2026-01-01 12:00:00 in Beijing, the vectors' timestamp
CREDENTIALS = {"app_key": "12345678", "app_secret": "fake_secret", "session": "fake_session"}


def fake_trade(**fields: Any) -> dict[str, Any]:
    trade = {
        "tid": 4000000000000001, "tid_str": "4000000000000001", "status": "WAIT_SELLER_SEND_GOODS",
        "type": "fixed", "created": "2026-01-01 09:30:00", "modified": "2026-01-01 09:31:05",
        "pay_time": "2026-01-01 09:31:00", "payment": "243.00", "post_fee": "8.00", "total_fee": "270.00",
        "discount_fee": "0.00", "buyer_nick": "t**测试买家", "buyer_open_uid": "AAFAKEopenUID",
        "receiver_name": "测*", "receiver_state": "浙江省", "receiver_city": "杭州市", "receiver_district": "西湖区",
        "receiver_town": "测试街道", "receiver_address": "测试路**号", "receiver_zip": "000000",
        "receiver_mobile": "*******0000",
        "orders": {"order": [
            {"oid": 4000000000000002, "num_iid": 600000000001, "sku_id": "5000000000001", "num": 2,
             "price": "99.00", "total_fee": "188.00", "payment": "180.00", "outer_sku_id": "TEE-RED-M",
             "outer_iid": "TEE", "title": "测试T恤", "status": "WAIT_SELLER_SEND_GOODS"},
            {"oid": 4000000000000003, "num_iid": 600000000002, "num": 1, "price": "72.00", "total_fee": "72.00",
             "payment": "63.00", "outer_iid": "CAP-BLUE", "title": "测试帽子", "status": "WAIT_SELLER_SEND_GOODS"},
        ]},
    }
    return trade | fields


def test_meets_the_adapter_contract():
    for adapter in (TaobaoAdapter(), TmallAdapter()):
        adapter_contract.check_protocol(adapter)
        adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    assert (TaobaoAdapter.platform, TmallAdapter.platform) == ("taobao", "tmall")
    assert TaobaoAdapter.credential_fields == ("app_key", "app_secret", "session")


@pytest.mark.parametrize("vector", ["taobao_top_md5", "taobao_top_hmac_md5", "taobao_top_hmac_sha256"])
def test_signs_as_the_vectors(signature_vectors, vector):
    expected = signature_vectors[vector]
    credentials = {"app_key": expected["params"]["app_key"], "app_secret": expected["secret"],
                   "session": expected["params"]["session"], "sign_method": expected["params"]["sign_method"]}
    with movable_clock(SIGNED_AT):
        request = signed_request(credentials, "taobao.trade.fullinfo.get", {"fields": "tid,status,orders",
                                                                             "tid": "123456789"})
    assert (request.method, request.url) == ("POST", PRODUCTION)
    assert request.params == {**expected["params"], "sign": expected["sign"]}
    assert top_sign(expected["params"], expected["secret"], expected["params"]["sign_method"]) == expected["sign"]


def test_parses_a_documented_trade():
    order = TaobaoAdapter().parse_order(fake_trade())
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "4000000000000001", "paid", "WAIT_SELLER_SEND_GOODS", "CNY")
    tee, cap = order.lines
    assert (tee.external_sku, tee.external_item_id, tee.external_line_id) == (
        "TEE-RED-M", "600000000001:5000000000001", "4000000000000002")
    assert (tee.quantity, tee.unit_price, tee.discount) == (2, 9900, 1000)  # 198.00 listed, 188.00 payable
    assert (cap.external_sku, cap.external_item_id, cap.unit_price, cap.discount) == (
        "CAP-BLUE", "600000000002", 7200, 0)
    # 188 + 72 + 8 postage = 268; 243 paid: 25 yuan of shop-wide promotion.
    assert (order.shipping_fee, order.order_discount) == (800, 2500)
    assert order.placed_at == datetime(2026, 1, 1, 1, 30, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 1, 1, 1, 31, 5, tzinfo=UTC)
    assert order.buyer == {"name": "测*", "phone": "*******0000", "external_id": "AAFAKEopenUID",
                           "nick": "t**测试买家"}
    assert order.shipping_address == {"country": "CN", "province": "浙江省", "city": "杭州市", "district": "西湖区",
                                      "town": "测试街道", "line1": "测试路**号", "postal_code": "000000"}
    assert not order.presale


def test_a_county_level_city_comes_as_the_district_alone():
    trade = fake_trade(receiver_state="河南省", receiver_city="", receiver_district="济源市")
    order = TaobaoAdapter().parse_order(trade)
    assert (order.shipping_address["city"], order.shipping_address.get("district")) == ("济源市", None)


def test_a_presale_trade_is_flagged():
    order = TaobaoAdapter().parse_order(fake_trade(type="step", status="WAIT_BUYER_PAY",
                                                   step_trade_status="FRONT_PAID_FINAL_NOPAID"))
    assert (order.presale, order.status) == (True, "unpaid")


def test_every_status_maps_and_an_unknown_one_is_refused():
    expected = {"TRADE_NO_CREATE_PAY": "unpaid", "WAIT_BUYER_PAY": "unpaid", "PAY_PENDING": "unpaid",
                "WAIT_SELLER_SEND_GOODS": "paid", "PAID_FORBID_CONSIGN": "paid", "SELLER_CONSIGNED_PART": "paid",
                "WAIT_BUYER_CONFIRM_GOODS": "shipped", "TRADE_BUYER_SIGNED": "delivered",
                "TRADE_FINISHED": "delivered", "TRADE_CLOSED": "refunded", "TRADE_CLOSED_BY_TAOBAO": "cancelled"}
    for platform_status, status in expected.items():
        assert TaobaoAdapter().parse_order(fake_trade(status=platform_status)).status == status
    with pytest.raises(UnreadablePayload):
        TaobaoAdapter().parse_order(fake_trade(status="TRADE_ON_THE_MOON"))


def test_lists_trades_by_modified_time_in_beijing_time():
    since = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    with movable_clock(SIGNED_AT):
        first = TaobaoAdapter().orders_request(CREDENTIALS, since, since + timedelta(minutes=30), None)
        later = TaobaoAdapter().orders_request(CREDENTIALS, since, since + timedelta(minutes=30),
                                               "2026-01-01 09:20:00")
    assert first.params["method"] == "taobao.trades.sold.increment.get"
    assert {key: first.params[key] for key in ("start_modified", "end_modified", "page_no", "page_size",
                                               "use_has_next", "fields")} == {
        "start_modified": "2026-01-01 09:00:00", "end_modified": "2026-01-01 09:30:00", "page_no": "1",
        "page_size": "100", "use_has_next": "true", "fields": "tid,status,modified"}
    assert later.params["end_modified"] == "2026-01-01 09:20:00"
    assert first.params["sign"] == top_sign(first.params, "fake_secret")
    with pytest.raises(ValueError):
        TaobaoAdapter().orders_request(CREDENTIALS, since, since + timedelta(days=1, seconds=1), None)


def test_the_next_page_ends_at_the_oldest_trade_seen():
    def page(has_next, *modified):
        trades = [{"tid": 10 + n, "status": "TRADE_FINISHED", "modified": m} for n, m in enumerate(modified)]
        return {"trades_sold_increment_get_response": {"has_next": has_next, "trades": {"trade": trades}}}

    adapter = TaobaoAdapter()
    listed = adapter.parse_orders_page(page(True, "2026-01-01 09:29:59", "2026-01-01 09:20:00"), {})
    assert listed.orders[0] == {"external_id": "10", "platform_status": "TRADE_FINISHED"}
    assert listed.next_cursor == "2026-01-01 09:20:00"
    assert adapter.parse_orders_page(page(True, *["2026-01-01 09:20:00"] * 100), {}).next_cursor == (
        "2026-01-01 09:19:59")
    assert adapter.parse_orders_page(page(False, "2026-01-01 09:20:00"), {}).next_cursor is None
    assert adapter.parse_orders_page({"trades_sold_increment_get_response": {"has_next": False}}, {}).orders == ()
    with pytest.raises(UnreadablePayload):
        adapter.parse_orders_page({"error_response": {"code": 27, "msg": "Invalid session"}}, {})


def test_details_come_one_trade_a_call():
    requests = TaobaoAdapter().detail_requests(CREDENTIALS, ["4000000000000001", "4000000000000004"])
    assert [(r.params["method"], r.params["tid"]) for r in requests] == [
        ("taobao.trade.fullinfo.get", "4000000000000001"), ("taobao.trade.fullinfo.get", "4000000000000004")]
    assert "orders" in requests[0].params["fields"].split(",")
    [trade] = TaobaoAdapter().parse_details({"trade_fullinfo_get_response": {"trade": fake_trade()}})
    assert TaobaoAdapter().parse_order(trade).external_id == "4000000000000001"


def test_tmc_messages_name_trades_and_no_http_push_is_accepted():
    message = {"id": 1, "topic": "taobao_trade_TradeCreate", "pub_app_key": "12345678",
               "pub_time": "2026-01-01 09:30:01", "user_id": 1, "user_nick": "fake_seller",
               "content": json.dumps({"buyer_nick": "t**测试买家", "payment": "243.00", "oid": 4000000000000001,
                                      "tid": 4000000000000001, "type": "fixed", "seller_nick": "fake_seller"})}
    adapter = TaobaoAdapter()
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook(CREDENTIALS, {}, json.dumps(message).encode())
    expected = [OrderReference("4000000000000001", datetime(2026, 1, 1, 1, 30, 1, tzinfo=UTC))]
    assert adapter.parse_webhook({}, json.dumps(message).encode()) == expected
    consumed = {"tmc_messages_consume_response": {"messages": {"tmc_message": [
        message, {**message, "topic": "taobao_item_ItemUpshelf", "content": "{\"num_iid\": 1}"}]}}}
    assert adapter.parse_webhook({}, json.dumps(consumed).encode()) == expected


def test_stock_is_full_update_of_at_most_twenty_skus_of_one_item():
    pushes = [StockPush(f"SKU-{n}", n, f"600000000001:{5000 + n}") for n in range(45)] + [
        StockPush("CAP-BLUE", 7, "600000000002")]
    with movable_clock(SIGNED_AT):
        requests = TaobaoAdapter().stock_requests(CREDENTIALS, pushes)
    sku_calls = [r.params for r in requests if r.params["method"] == "taobao.skus.quantity.update"]
    assert [len(p["skuid_quantities"].split(";")) for p in sku_calls] == [20, 20, 5]
    assert sku_calls[0]["skuid_quantities"].startswith("5000:0;5001:1;")
    assert {(p["num_iid"], p["type"]) for p in sku_calls} == {("600000000001", "1")}
    [plain] = [r.params for r in requests if r.params["method"] == "taobao.item.quantity.update"]
    assert {key: plain[key] for key in ("num_iid", "quantity", "type")} == {
        "num_iid": "600000000002", "quantity": "7", "type": "1"}
    with pytest.raises(ValueError):
        TaobaoAdapter().stock_requests(CREDENTIALS, [StockPush("NO-LISTING", 1)])


def test_ships_offline_and_splits_by_sub_order():
    whole = TaobaoAdapter().shipment_request(CREDENTIALS, ShipmentNotice("4000000000000001", "ZTO", "ZT0001"))
    assert {key: whole.params[key] for key in ("method", "tid", "out_sid", "company_code")} == {
        "method": "taobao.logistics.offline.send", "tid": "4000000000000001", "out_sid": "ZT0001",
        "company_code": "ZTO"}
    assert "is_split" not in whole.params
    split = TaobaoAdapter().shipment_request(CREDENTIALS, ShipmentNotice(
        "4000000000000001", "ZTO", "ZT0002", lines=(("4000000000000002", 2),)))
    assert (split.params["is_split"], split.params["sub_tid"]) == ("1", "4000000000000002")
    listed = TaobaoAdapter().shipment_request(CREDENTIALS, ShipmentNotice(
        "4000000000000001", "ZTO", "ZT0003", lines=(("4000000000000002", 2),), whole=True))
    assert "is_split" not in listed.params  # every sub-order in full: the trade ships whole


def test_the_hubs_carriers_go_as_tops_company_codes():
    def sent(carrier: str) -> str:
        return TaobaoAdapter().shipment_request(CREDENTIALS, ShipmentNotice("1", carrier, "W1")).params["company_code"]

    assert [sent(c) for c in ("sf_express", "zto", "YTO")] == ["SF", "ZTO", "YTO"]
    for unmapped in ("jd_logistics", "dhl"):  # no TOP code known: refused with the reason, not sent to be refused
        with pytest.raises(ValueError, match=f"{unmapped} has no TOP company_code"):
            sent(unmapped)


def test_the_router_can_be_a_local_sandbox():
    request = signed_request({**CREDENTIALS, "base_url": "http://localhost:9001/router/rest"}, "taobao.time.get", {})
    assert request.url == "http://localhost:9001/router/rest"

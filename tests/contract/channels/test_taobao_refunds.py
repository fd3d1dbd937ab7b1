"""Taobao/Tmall refund cases: a TMC `taobao_refund_RefundCreated` message names the case, taobao.refund.get
gives it whole, and only a case whose goods come back (has_good_return) carries lines.

No official sample of either is public in full: the message below is built from the documented content
fields (refund_id, tid, oid, refund_fee, refund_phase, bill_type, buyer_nick, seller_nick, modified) and the
answer from the documented Refund structure (refund_id, tid, oid, has_good_return, num, num_iid, sku,
outer_id, reason, created, status, good_status)."""

import json
from datetime import UTC, datetime

import pytest

from flexhub.channels.adapter import ChannelReturn, ReturnReference
from flexhub.channels.errors import UnreadablePayload
from flexhub.channels.platforms.taobao import REFUND_FIELDS, TaobaoAdapter, top_sign

CREDENTIALS = {"app_key": "12345678", "app_secret": "fake_secret", "session": "fake_session"}
MESSAGE = {"topic": "taobao_refund_RefundCreated", "pub_app_key": "12497914", "pub_time": "2026-11-11 10:00:00",
           "user_id": 263296, "content": json.dumps({
               "refund_id": 21934500156289341, "tid": 4000000000000001, "oid": 4000000000000002,
               "refund_fee": "99.00", "refund_phase": "aftersale", "bill_type": "return_bill",
               "buyer_nick": "l**w", "seller_nick": "acme", "modified": "2026-11-11 10:00:00"})}
REFUND = {"refund_id": "21934500156289341", "tid": 4000000000000001, "oid": 4000000000000002,
          "has_good_return": True, "num": 2, "num_iid": 520000001, "sku": "4091818023521|颜色分类:红色;尺码:M",
          "outer_id": "TEE-RED-M", "reason": "7天无理由退换货", "created": "2026-11-11 10:00:00",
          "status": "WAIT_SELLER_AGREE", "good_status": "BUYER_RECEIVED"}


def test_a_refund_message_names_the_case_and_no_order() -> None:
    body = json.dumps(MESSAGE).encode()
    assert TaobaoAdapter().parse_returns({}, body) == [ReturnReference("21934500156289341")]
    assert TaobaoAdapter().parse_webhook({}, body) == []


def test_a_consume_response_names_each_refund_among_trade_messages() -> None:
    trade = {"topic": "taobao_trade_TradeBuyerPay", "content": json.dumps({"tid": 4000000000000009})}
    body = json.dumps({"tmc_messages_consume_response": {"messages": {"tmc_message": [trade, MESSAGE]}}}).encode()
    assert TaobaoAdapter().parse_returns({}, body) == [ReturnReference("21934500156289341")]


def test_the_case_is_asked_for_with_taobao_refund_get_signed() -> None:
    [request] = TaobaoAdapter().return_detail_requests(CREDENTIALS, ["21934500156289341"])
    params = request.params
    assert params["method"] == "taobao.refund.get" and params["refund_id"] == "21934500156289341"
    assert set(params["fields"].split(",")) >= {"has_good_return", "num", "outer_id", "tid", "refund_id"}
    assert params["fields"] == REFUND_FIELDS
    assert params["sign"] == top_sign(params, CREDENTIALS["app_secret"])


def test_goods_coming_back_are_the_return_lines() -> None:
    [payload] = TaobaoAdapter().parse_return_details({"refund_get_response": {"refund": REFUND}})
    assert TaobaoAdapter().parse_return(payload) == ChannelReturn(
        external_id="21934500156289341", order_external_id="4000000000000001", lines=(("TEE-RED-M", 2),),
        reason="7天无理由退换货", requested_at=datetime(2026, 11, 11, 2, 0, tzinfo=UTC))


def test_without_the_merchant_code_the_listing_platform_id_names_the_sku() -> None:
    case = TaobaoAdapter().parse_return({**REFUND, "outer_id": None})
    assert case.lines == (("520000001:4091818023521", 2),)


def test_a_refund_without_goods_back_has_no_lines() -> None:
    assert TaobaoAdapter().parse_return({**REFUND, "has_good_return": False}).lines == ()
    assert TaobaoAdapter().parse_return({**REFUND, "has_good_return": "false"}).lines == ()


def test_a_refused_call_is_unreadable() -> None:
    error = {"error_response": {"code": 15, "msg": "Remote service error", "sub_code": "isv.refund-not-exist"}}
    with pytest.raises(UnreadablePayload, match="isv.refund-not-exist"):
        TaobaoAdapter().parse_return_details(error)

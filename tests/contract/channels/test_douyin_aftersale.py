"""Douyin (抖店) after-sale cases: a tag 200 push (doudian_refund_RefundCreated) names the case, afterSale/Detail
gives it whole, and only a 退货退款 or 换货 case brings goods back.

No official sample of either is published: the push is built from the documented message fields (tag, msg_id,
data with aftersale_id, aftersale_status, aftersale_type, p_id, s_id, shop_id, refund_amount, apply_time) and
the answer from the documented response fields of afterSale/Detail (zsmhub/doudian-sdk,
api/afterSale_Detail/response: process_info.after_sale_info, order_info.sku_order_infos)."""

import json
from datetime import UTC, datetime

import pytest

from flexhub.channels.adapter import ChannelReturn, ReturnReference
from flexhub.channels.platforms.douyin import DouyinAdapter, param_json, sign

CREDENTIALS = {"app_key": "7000000000000000001", "app_secret": "fake_secret", "access_token": "fake_token"}
PUSH = [{"tag": "200", "msg_id": "7011000000000000000:0:200:1762826400:1:0", "data": json.dumps({
    "aftersale_id": 7012345678901234567, "aftersale_status": 6, "aftersale_type": 0, "p_id": 4781320682406083640,
    "s_id": 4781320682406083641, "shop_id": 4463798, "refund_amount": 9900, "apply_time": 1762826400,
    "reason_code": 1})}]
CASE = {"code": 10000, "msg": "success", "sub_code": "", "sub_msg": "", "data": {
    "process_info": {"after_sale_info": {
        "after_sale_id": 7012345678901234567, "after_sale_status": 6, "after_sale_type": 0, "refund_type": 1,
        "refund_total_amount": 9900, "apply_time": 1762826400, "reason": "7天无理由退货", "reason_code": 1,
        "after_sale_apply_count": 1, "need_return_count": 1, "got_pkg": 1}},
    "order_info": {"shop_order_id": 4781320682406083640, "sku_order_infos": [{
        "sku_order_id": 4781320682406083641, "product_id": 3500000000000001, "sku_id": 1730000000000001,
        "shop_sku_code": "TEE-RED-M", "item_quantity": 2, "after_sale_item_count": 1}]}}}


def test_a_tag_200_push_names_the_case() -> None:
    assert DouyinAdapter().parse_returns({}, json.dumps(PUSH).encode()) == [ReturnReference("7012345678901234567")]


def test_order_pushes_name_no_case() -> None:
    pushed = [{"tag": "101", "msg_id": "1", "data": json.dumps({"p_id": 4781320682406083640, "order_status": 2})}]
    assert DouyinAdapter().parse_returns({}, json.dumps(pushed).encode()) == []


def test_the_case_is_asked_for_with_after_sale_detail_signed() -> None:
    [request] = DouyinAdapter().return_detail_requests(CREDENTIALS, ["7012345678901234567"])
    assert request.url == "https://openapi-fxg.jinritemai.com/afterSale/Detail"
    body = request.content.decode()
    assert body == param_json({"after_sale_id": "7012345678901234567"})
    assert request.params["method"] == "afterSale.Detail"
    assert request.params["sign"] == sign(CREDENTIALS["app_key"], CREDENTIALS["app_secret"], "afterSale.Detail",
                                          body, request.params["timestamp"], request.params["sign_method"])


def test_a_return_with_refund_brings_the_units_the_buyer_sends_back() -> None:
    [payload] = DouyinAdapter().parse_return_details(CASE)
    assert DouyinAdapter().parse_return(payload) == ChannelReturn(
        external_id="7012345678901234567", order_external_id="4781320682406083640", lines=(("TEE-RED-M", 1),),
        reason="7天无理由退货", requested_at=datetime.fromtimestamp(1762826400, UTC))


@pytest.mark.parametrize("kind", [1, 2, 6])  # 仅退款, 发货前退款, 价保
def test_money_back_without_goods_back_has_no_lines(kind: int) -> None:
    info = CASE["data"]["process_info"]["after_sale_info"]
    payload = {**CASE["data"], "process_info": {"after_sale_info": {**info, "after_sale_type": kind}}}
    assert DouyinAdapter().parse_return(payload).lines == ()


def test_without_a_seller_code_the_platform_sku_id_names_it() -> None:
    [sku] = CASE["data"]["order_info"]["sku_order_infos"]
    payload = {**CASE["data"], "order_info": {"shop_order_id": 1, "sku_order_infos": [{**sku, "shop_sku_code": ""}]}}
    assert DouyinAdapter().parse_return(payload).lines == (("1730000000000001", 1),)


def test_a_refused_call_raises_with_the_platforms_words() -> None:
    with pytest.raises(ValueError, match="isv.after-sale-not-exist"):
        DouyinAdapter().parse_return_details({"code": 50002, "msg": "业务处理失败",
                                              "sub_code": "isv.after-sale-not-exist", "sub_msg": "售后单不存在"})

"""SF Express (丰桥) against SF's own request samples, our msgDigest vector and SF's documented answers.

The request samples (../shared/fixtures/channels/sf_express_*_msgData_example.json) come from SF's
Python SDK demo. SF publishes no answer files, so the answers here are built from the success
examples on SF's API pages for EXP_RECE_CREATE_ORDER, EXP_RECE_SEARCH_ROUTES and
EXP_RECE_QUERY_DELIVERTM (same fields and values, fake people), and the route push from the
RoutePushService field list (mailno, orderid, acceptTime, acceptAddress, remark, opCode).
"""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pytest

from flexhub.integrations.signing import md5_base64
from flexhub.kernel.money import Money
from flexhub.shipping.carrier import Address, Parcel, Shipment, SignatureInvalid
from flexhub.shipping.carriers.sf_express import PRODUCTION, SfExpressCarrier, msg_digest, signed_request
from flexhub.shipping.errors import CarrierRefused
from flexhub.testing import carrier_contract
from flexhub.testing.carrier_contract import domestic_shipment
from flexhub.testing.clocks import movable_clock

CREDENTIALS = {"partner_id": "FAKEPARTNER", "check_word": "fake_check_word", "monthly_card": "7551234567",
               "push_token": "fake-push-token"}
AT_VECTOR = datetime.fromtimestamp(1700000000, UTC)  # 2023-11-14 22:13:20 UTC, the vector's timestamp


def answer(msg_data, success=True, error_code="S0000"):
    data = {"success": success, "errorCode": error_code, "errorMsg": None if success else "重复下单",
            "msgData": msg_data}
    return {"apiErrorMsg": "", "apiResponseID": "000173744CA0EE3FEFF1EEFC90D1E13F", "apiResultCode": "A1000",
            "apiResultData": json.dumps(data, ensure_ascii=False)}


def form(request):
    return {key: values[0] for key, values in parse_qs(request.content.decode()).items()}


def test_meets_the_carrier_contract():
    adapter = SfExpressCarrier()
    carrier_contract.check_protocol(adapter)
    carrier_contract.check_unsupported(adapter, CREDENTIALS)
    assert adapter.capabilities == {"rates", "waybill", "tracking", "push"}


def test_digests_as_the_vector(signature_vectors):
    vector = signature_vectors["sf_express_msgDigest"]
    assert msg_digest(vector["msgData"], vector["timestamp"], vector["checkWord"]) == vector["msgDigest"]
    credentials = {**CREDENTIALS, "check_word": vector["checkWord"]}
    with movable_clock(AT_VECTOR):
        request = signed_request(credentials, "EXP_RECE_SEARCH_ROUTES", json.loads(vector["msgData"]))
    carrier_contract.check_request(request)
    assert (request.method, request.url) == ("POST", PRODUCTION)
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    sent = form(request)
    assert {k: sent[k] for k in ("partnerID", "serviceCode", "timestamp", "msgDigest", "msgData")} == {
        "partnerID": "FAKEPARTNER", "serviceCode": "EXP_RECE_SEARCH_ROUTES", "timestamp": "1700000000",
        "msgDigest": vector["msgDigest"], "msgData": vector["msgData"]}
    assert len(sent["requestID"]) == 32


def test_url_encodes_as_java_does():
    # URLEncoder keeps "*" and encodes "~" and spaces as "+"; a Python default would sign another string.
    assert msg_digest('{"a":"x y*~"}', "1", "k") == md5_base64("%7B%22a%22%3A%22x+y*%7E%22%7D1k")


def test_orders_as_the_sdk_sample(sample_json):
    sample = sample_json("sf_express_EXP_RECE_CREATE_ORDER_msgData_example.json")
    sender, recipient = sample["contactInfoList"]
    shipment = Shipment(
        reference=sample["orderId"], service=str(sample["expressTypeId"]), contents=sample["cargoDetails"][0]["name"],
        sender=Address(name=sender["contact"], phone=sender["mobile"], country="CN", province=sender["province"],
                       city=sender["city"], district=sender["county"], line1=sender["address"],
                       company=sender["company"]),
        recipient=Address(name=recipient["contact"], phone=recipient["mobile"], country="CN",
                          province=recipient["province"], city=recipient["city"], district=recipient["county"],
                          line1=recipient["address"]),
        parcels=(Parcel(weight_g=6600),))
    with movable_clock(AT_VECTOR):
        request = SfExpressCarrier().waybill_request(CREDENTIALS, shipment)
    sent = form(request)
    assert sent["serviceCode"] == "EXP_RECE_CREATE_ORDER"
    assert sent["msgDigest"] == msg_digest(sent["msgData"], "1700000000", "fake_check_word")
    order = json.loads(sent["msgData"])
    for key in ("orderId", "expressTypeId", "monthlyCard", "payMethod", "parcelQty", "language"):
        assert order[key] == sample[key], key
    for ours, theirs in zip(order["contactInfoList"], sample["contactInfoList"], strict=True):
        assert ours == {**theirs, "country": "CN"}  # SF's field list makes country required; the demo predates it
    assert order["cargoDetails"] == [{"name": "君宝牌地毯", "count": 1, "unit": "件", "weight": 6.6}]
    assert order["totalWeight"] == 6.6 and "serviceList" not in order


def test_asks_for_cash_on_delivery_and_insurance():
    shipment = domestic_shipment(cod=Money(12_345, "CNY"), insurance=Money(50_000, "CNY"), service=None)
    order = json.loads(form(SfExpressCarrier().waybill_request(CREDENTIALS, shipment))["msgData"])
    assert order["expressTypeId"] == 2  # 顺丰标快 unless asked otherwise
    assert order["serviceList"] == [{"name": "COD", "value": "123.45", "value1": "7551234567"},
                                    {"name": "INSURE", "value": "500.00"}]


def test_reads_the_waybill():
    waybill = SfExpressCarrier().parse_waybill(answer({
        "orderId": "QIAO-20200618-004", "originCode": "755", "destCode": "020", "filterResult": 2, "remark": "",
        "waybillNoInfoList": [{"waybillType": 1, "waybillNo": "SF7444407670710"},
                              {"waybillType": 2, "waybillNo": "SF7444407670728"}],
        "routeLabelInfo": [{"code": "1000", "routeLabelData": {"waybillNo": "SF7444407670710"}}]}))
    carrier_contract.check_waybill(waybill)
    assert (waybill.number, waybill.carrier_order_id, waybill.routing_code, waybill.parcel_numbers) == (
        "SF7444407670710", "QIAO-20200618-004", "020", ("SF7444407670728",))
    assert waybill.label is None and waybill.label_url is None  # SF prints through cloud print: we draw it


@pytest.mark.parametrize("refusal", [
    answer(None, success=False, error_code="8016"),
    {"apiErrorMsg": "数字签名无效", "apiResponseID": "X", "apiResultCode": "A1006", "apiResultData": None},
    answer({"orderId": "O1", "filterResult": 3, "remark": "1", "waybillNoInfoList": []}),
])
def test_a_refusal_is_carrier_refused(refusal):
    with pytest.raises(CarrierRefused):
        SfExpressCarrier().parse_waybill(refusal)


def test_asks_routes_as_the_sdk_sample(sample_json):
    sample = sample_json("sf_express_EXP_RECE_SEARCH_ROUTES_msgData_example.json")
    request = SfExpressCarrier().tracking_request(CREDENTIALS, "SF7444407228423", phone="+86 139 0000 1234")
    query = json.loads(form(request)["msgData"])
    assert {k: query[k] for k in ("trackingType", "trackingNumber", "methodType")} == {
        k: sample[k] for k in ("trackingType", "trackingNumber", "methodType")}
    assert (query["language"], query["checkPhoneNo"]) == ("zh-CN", "1234")


def test_reads_routes():
    events = SfExpressCarrier().parse_tracking(answer({"routeResps": [{"mailNo": "SF1011603494291", "routes": [
        {"acceptAddress": "深圳市", "acceptTime": "2024-09-03 07:59:07", "remark": "顺丰速运 已收取快件",
         "secondaryStatusCode": "101", "firstStatusName": "已揽收", "firstStatusCode": "1", "opCode": "54"},
        {"acceptAddress": "深圳市", "acceptTime": "2024-09-02 23:51:27", "remark": "顺丰合作点【名居广场驿站店】已代收",
         "secondaryStatusCode": "701", "firstStatusName": "待揽收", "firstStatusCode": "7", "opCode": "655"},
        {"acceptAddress": "北京市", "acceptTime": "2024-09-04 09:00:00", "remark": "快件交给张三，正在派送途中",
         "opCode": "44"},
        {"acceptAddress": "北京市", "acceptTime": "2024-09-04 12:30:00", "remark": "已签收", "opCode": "80"},
        {"acceptAddress": "北京市", "acceptTime": "2024-09-04 11:00:00", "remark": "未知节点", "opCode": "9999",
         "firstStatusName": "派送中"},
    ]}]}), "SF1011603494291")
    carrier_contract.check_events(events)
    assert [(e.state, e.carrier_code) for e in events] == [
        ("info_received", "655"), ("picked_up", "54"), ("out_for_delivery", "44"), ("out_for_delivery", "9999"),
        ("delivered", "80")]
    first = events[0]
    assert (first.waybill_number, first.at, first.location, first.description) == (
        "SF1011603494291", datetime(2024, 9, 2, 15, 51, 27, tzinfo=UTC), "深圳市", "顺丰合作点【名居广场驿站店】已代收")


def test_quotes_price_and_promise():
    with movable_clock(datetime(2020, 9, 30, 9, 1, 48, tzinfo=UTC)):  # 17:01:48 in Beijing
        request = SfExpressCarrier().rate_request(CREDENTIALS, domestic_shipment(service="2"))
        quotes = SfExpressCarrier().parse_rates(answer({"deliverTmDto": [
            {"businessType": "2", "businessTypeDesc": "顺丰特惠",
             "deliverTime": "2020-10-02 18:00:00,2020-10-02 18:00:00", "fee": 119, "searchPrice": "1"},
            {"businessType": "6", "businessTypeDesc": "顺丰即日", "deliverTime": "2020-09-30 22:00:00", "fee": None}]}))
    query = json.loads(form(request)["msgData"])
    assert query == {
        "businessType": "2", "weight": 1.5, "searchPrice": "1", "consignedTime": "2020-09-30 17:01:48",
        "srcAddress": {"province": "广东省", "city": "深圳市", "district": "南山区", "address": "科技园测试路1号"},
        "destAddress": {"province": "北京市", "city": "北京市", "district": "朝阳区", "address": "测试街道测试路2号"},
        "monthlyCard": "7551234567"}
    carrier_contract.check_quotes(quotes)
    [quote] = quotes  # a product without a fee is no quote
    assert (quote.service, quote.service_name, quote.price, quote.promised_days, quote.promised_by) == (
        "2", "顺丰特惠", Money(11_900, "CNY"), 2, datetime(2020, 10, 2, 10, 0, tzinfo=UTC))


def test_route_pushes_carry_our_token():
    body = json.dumps({"Body": {"WaybillRoute": [
        {"mailno": "SF7444400043266", "orderid": "FH-SHP-0001", "acceptTime": "2024-09-03 07:59:07",
         "acceptAddress": "深圳市", "remark": "顺丰速运 已收取快件", "opCode": "50", "id": "1004936106408",
         "reasonCode": "", "reasonName": ""}]}}, ensure_ascii=False).encode()
    adapter = SfExpressCarrier()
    carrier_contract.check_push_signature(adapter, {"push_token": "fake-push-token"}, {"token": "fake-push-token"},
                                          body, signs_body=False)
    with pytest.raises(SignatureInvalid):
        adapter.verify_push({}, {"token": ""}, body)  # no push_token set: nothing is accepted
    [event] = adapter.parse_push({}, body)
    assert (event.waybill_number, event.state, event.at, event.carrier_code) == (
        "SF7444400043266", "picked_up", datetime(2024, 9, 2, 23, 59, 7, tzinfo=UTC), "50")
    assert json.loads(adapter.push_ack)["return_code"] == "0000"


def test_base_url_points_at_a_sandbox():
    request = SfExpressCarrier().tracking_request({**CREDENTIALS, "base_url": "http://localhost:9100/std/service"},
                                                  "SF1")
    assert request.url == "http://localhost:9100/std/service"

"""ZTO against its documented request and answer shapes; no official sample or signature vector exists.

ZTO publishes its API pages behind a login, so the createOrder answer and the pushes here are the
ones a ZTO integrator recorded from ZTO's test system (bill 73100196611386, 2025-05-22) in public
notes, and the track.query answer is built from the fields ZTO SDK users read (scanType, scanDate
in epoch ms, desc, scanSite.name/city). The digest is recomputed here from its definition,
base64(md5(body + appSecret)), not taken from a vector. The obtainPicePrescription fields
(sender, addresser, weight -> price, hour) come from third-party SDKs only.
"""

import base64
import hashlib
import json
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from flexhub.kernel.money import Money
from flexhub.shipping.carrier import SignatureInvalid
from flexhub.shipping.carriers.zto import PRODUCTION, ZtoCarrier
from flexhub.shipping.errors import CarrierRefused
from flexhub.testing import carrier_contract
from flexhub.testing.carrier_contract import domestic_shipment

CREDENTIALS = {"app_key": "fakeappkey0001", "app_secret": "fake_app_secret", "account_id": "test",
               "account_password": "ZTO123"}


def digest(body: bytes, secret: str) -> str:
    return base64.b64encode(hashlib.md5(body + secret.encode()).digest()).decode()


def push(scan: dict, company: str = "fakeappkey0001", digested: dict | None = None) -> bytes:
    data = json.dumps(scan, ensure_ascii=False, separators=(",", ":"))
    signed = json.dumps(digested or scan, ensure_ascii=False, separators=(",", ":"))
    return urlencode({"data": data, "data_digest": digest(signed.encode(), "fake_app_secret"), "company_id": company,
                      "msg_type": "Traces"}).encode()


def test_meets_the_carrier_contract():
    carrier_contract.check_protocol(ZtoCarrier())
    carrier_contract.check_unsupported(ZtoCarrier(), CREDENTIALS)


def test_creates_an_order_signed_over_the_body():
    shipment = domestic_shipment(cod=Money(100_000, "CNY"))
    request = ZtoCarrier().waybill_request(CREDENTIALS, shipment)
    carrier_contract.check_request(request)
    assert (request.method, request.url) == ("POST", f"{PRODUCTION}/zto.open.createOrder")
    assert request.headers["x-appKey"] == "fakeappkey0001"
    assert request.headers["x-dataDigest"] == digest(request.content, "fake_app_secret")
    body = json.loads(request.content)
    assert body == {
        "partnerType": "2", "orderType": "1", "partnerOrderCode": "FH-SHP-0001",
        "accountInfo": {"accountId": "test", "accountPassword": "ZTO123", "type": 1},
        "senderInfo": {"senderName": "测试仓", "senderMobile": "13800000000", "senderProvince": "广东省",
                       "senderCity": "深圳市", "senderDistrict": "南山区", "senderAddress": "科技园测试路1号"},
        "receiveInfo": {"receiverName": "测试买家", "receiverMobile": "13900001234", "receiverProvince": "北京市",
                        "receiverCity": "北京市", "receiverDistrict": "朝阳区", "receiverAddress": "测试街道测试路2号"},
        "summaryInfo": {"quantity": 1}, "orderItems": [{"name": "T恤", "weight": 1500, "quantity": 1}],
        "orderVasList": [{"vasType": "COD", "vasAmount": 100000}]}


def test_reads_the_recorded_order_answer():
    waybill = ZtoCarrier().parse_waybill({
        "result": {"bigMarkInfo": {"bagAddr": "沪西", "mark": "300- H12 09"}, "verifyCode": None, "siteCode": "02100",
                   "signBillInfo": None, "siteName": "上海", "billCode": "73100196611386",
                   "orderCode": "250522000006047100", "partnerOrderCode": "SJ20250522"},
        "message": "成功", "status": True, "statusCode": "0000"})
    carrier_contract.check_waybill(waybill)
    assert (waybill.number, waybill.carrier_order_id, waybill.routing_code) == (
        "73100196611386", "250522000006047100", "300- H12 09")
    with pytest.raises(CarrierRefused):
        ZtoCarrier().parse_waybill({"result": None, "message": "签名错误", "status": False, "statusCode": "S211"})


def test_tracks_with_the_phone_tail():
    request = ZtoCarrier().tracking_request({**CREDENTIALS, "base_url": "https://japi-test.zto.com/"},
                                            "73100196611386", phone="13900001234")
    assert request.url == "https://japi-test.zto.com/zto.merchant.waybill.track.query"
    assert json.loads(request.content) == {"billCode": "73100196611386", "mobilePhone": "1234"}


def test_reads_scans():
    events = ZtoCarrier().parse_tracking({"status": True, "statusCode": "SYS000", "message": "", "result": [
        {"scanType": "派件", "scanDate": 1747897690000, "desc": "【郑州市】【郑州高新区】的业务员李四正在派件",
         "scanSite": {"name": "郑州高新区", "code": "37131", "city": "郑州市"}},
        {"scanType": "收件", "scanDate": 1747897595000, "desc": "【上海市】【青浦华新】的业务员张三已揽收",
         "scanSite": {"name": "青浦华新", "code": "02191", "city": "上海市"}},
        {"scanType": "签收", "scanDate": "2025-05-22 15:09:54", "desc": "快件已由【王五】签收",
         "scanSite": {"name": "郑州高新区"}},
    ]}, "73100196611386")
    carrier_contract.check_events(events)
    assert [(e.state, e.carrier_code, e.location) for e in events] == [
        ("picked_up", "收件", "上海市"), ("out_for_delivery", "派件", "郑州市"), ("delivered", "签收", "郑州高新区")]
    assert events[0].at == datetime(2025, 5, 22, 7, 6, 35, tzinfo=UTC)
    assert events[2].at == datetime(2025, 5, 22, 7, 9, 54, tzinfo=UTC)  # Beijing text, same instant scheme
    assert {e.waybill_number for e in events} == {"73100196611386"}


def test_quotes_from_price_and_hours():
    request = ZtoCarrier().rate_request(CREDENTIALS, domestic_shipment())
    assert request.url.endswith("/zto.open.obtainPicePrescription")
    assert json.loads(request.content)["weight"] == 1.5
    [quote] = ZtoCarrier().parse_rates({"status": True, "result": {"price": "12.00", "hour": "50"}})
    carrier_contract.check_quotes([quote])
    assert (quote.price, quote.promised_days) == (Money(1200, "CNY"), 3)


def test_pushes_are_digested_with_the_app_secret():
    got = {"billCode": "73100196611386", "facilityCode": "02191", "actionTime": "2025-05-22 15:06:35",
           "city": "上海市", "courier": "张三", "action": "GOT", "facilityName": "青浦华新",
           "desc": "【上海市】【青浦华新】的业务员张三已揽收"}
    body = push(got)
    unsigned = urlencode({"data": json.dumps(got), "company_id": "fakeappkey0001", "msg_type": "Traces"}).encode()
    carrier_contract.check_push_signature(ZtoCarrier(), CREDENTIALS, {}, body, signs_body=False,
                                          unsigned_body=unsigned)
    with pytest.raises(SignatureInvalid):  # another scan under the first one's digest
        ZtoCarrier().verify_push(CREDENTIALS, {}, push({**got, "action": "SIGNED"}, digested=got))
    with pytest.raises(SignatureInvalid):
        ZtoCarrier().verify_push(CREDENTIALS, {}, push(got, company="someone-else"))
    [event] = ZtoCarrier().parse_push({}, body)
    assert (event.waybill_number, event.state, event.carrier_code, event.at, event.location) == (
        "73100196611386", "picked_up", "GOT", datetime(2025, 5, 22, 7, 6, 35, tzinfo=UTC), "上海市")
    states = [ZtoCarrier().parse_push({}, push({**got, "action": a}))[0].state
              for a in ("DEPARTURE", "ARRIVAL", "INBOUND", "DISPATCH", "SIGNED", "DEPARTURE_SIGNED", "SOMETHING_NEW")]
    assert states == ["in_transit", "in_transit", "out_for_delivery", "out_for_delivery", "delivered", "delivered",
                      "in_transit"]

"""JD Logistics (LOP / ECAP) against its documented request fields; JD publishes no sample or vector.

The sign is recomputed here from its definition (md5 hex of secret, then access_token, app_key,
method, param_json, timestamp and v each as name+value, then secret), as JD's LOP SDKs compute it.
The order fields are those of JD's ECAP create-order API as its SDKs declare them; the answers are
built from the documented response fields (data.waybillCode, orderCode, deliveryPromiseTime,
freightPre; data.traceDetails[].operationTime, operationTitle, operationRemark, categoryName), with
fake values. The trace field names are the least certain part: re-check them in JD's sandbox.
"""

import hashlib
import json
from datetime import UTC, datetime

import pytest

from flexhub.kernel.money import Money
from flexhub.shipping.carriers.jd_logistics import PRODUCTION, JdLogisticsCarrier
from flexhub.shipping.errors import CarrierRefused
from flexhub.testing import carrier_contract
from flexhub.testing.carrier_contract import domestic_shipment
from flexhub.testing.clocks import movable_clock

CREDENTIALS = {"app_key": "fakeappkey", "app_secret": "fake_secret", "access_token": "fake_token",
               "customer_code": "010K000001"}
AT = datetime(2026, 1, 1, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


def test_meets_the_carrier_contract():
    adapter = JdLogisticsCarrier()
    carrier_contract.check_protocol(adapter)
    carrier_contract.check_unsupported(adapter, CREDENTIALS)
    assert adapter.capabilities == {"waybill", "tracking"}


def test_signs_the_order_as_lop_does():
    with movable_clock(AT):
        request = JdLogisticsCarrier().waybill_request(CREDENTIALS, domestic_shipment(
            cod=Money(9_900, "CNY"), insurance=Money(50_000, "CNY")))
    carrier_contract.check_request(request)
    assert (request.method, request.url) == ("POST", f"{PRODUCTION}/ecap/v1/orders/create")
    body = request.content.decode()
    expected = hashlib.md5(("fake_secret" "access_token" "fake_token" "app_key" "fakeappkey"
                            "method" "/ecap/v1/orders/create" "param_json" + body + "timestamp" "2026-01-01 12:00:00"
                            "v" "2.0" "fake_secret").encode()).hexdigest()
    assert request.params == {"LOP-DN": "ECAP", "app_key": "fakeappkey", "access_token": "fake_token",
                              "timestamp": "2026-01-01 12:00:00", "v": "2.0", "algorithm": "md5-salt",
                              "sign": expected}
    assert request.headers["lop-tz"] == "8"
    [order] = json.loads(body)  # LOP takes a list of one request
    assert order == {
        "orderId": "FH-SHP-0001", "orderOrigin": 1, "customerCode": "010K000001",
        "senderContact": {"name": "测试仓", "mobile": "13800000000",
                          "fullAddress": "广东省深圳市南山区科技园测试路1号"},
        "receiverContact": {"name": "测试买家", "mobile": "13900001234",  # 北京市 once: the city is the province
                            "fullAddress": "北京市朝阳区测试街道测试路2号"},
        "productsReq": {"productCode": "ed-m-0001", "addedProducts": [
            {"productCode": "ed-a-0009", "productAttrs": {"shouldPayMoney": "99.00"}},
            {"productCode": "ed-a-0002", "productAttrs": {"guaranteeValue": "500.00"}}]},
        "settleType": 3,
        "cargoes": [{"name": "服装", "quantity": 1, "weight": 1.5, "volume": 6000.0, "length": 30.0, "width": 20.0,
                     "hight": 10.0}],
        "commonChannelInfo": {"channelCode": "0030001"}, "remark": "FH-SHP-0001"}


def test_reads_the_waybill_and_refusals():
    waybill = JdLogisticsCarrier().parse_waybill({
        "success": True, "code": 0, "msg": "成功", "requestId": "r1",
        "data": {"orderCode": "ESO0000000001", "waybillCode": "JDVA00000000001",
                 "deliveryPromiseTime": 1767330000000, "freightPre": 12.5}})
    carrier_contract.check_waybill(waybill)
    assert (waybill.number, waybill.carrier_order_id, waybill.label) == ("JDVA00000000001", "ESO0000000001", None)
    with pytest.raises(CarrierRefused):
        JdLogisticsCarrier().parse_waybill({"success": False, "code": 1000, "msg": "客户编码不存在"})


def test_tracks_by_waybill_under_the_customer_code():
    request = JdLogisticsCarrier().tracking_request(CREDENTIALS, "JDVA00000000001")
    assert request.url.endswith("/ecap/v1/orders/trace/query")
    assert json.loads(request.content) == [{"waybillCode": "JDVA00000000001", "orderOrigin": 1,
                                            "customerCode": "010K000001"}]
    events = JdLogisticsCarrier().parse_tracking({"success": True, "code": 0, "data": {
        "waybillCode": "JDVA00000000001", "traceDetails": [
            {"operationTime": "2026-01-02 10:00:00", "operationTitle": "妥投", "operationRemark": "您的快件已签收",
             "category": 150, "categoryName": "妥投"},
            {"operationTime": "2026-01-01 18:00:00", "operationTitle": "揽收", "operationRemark": "您的快件已揽收",
             "category": 30, "categoryName": "揽收"},
            {"operationTime": "2026-01-02 08:00:00", "operationRemark": "快递员正在为您派送", "categoryName": "派送"},
            {"operationTime": "2026-01-01 22:00:00", "operationRemark": "到达北京分拣中心", "categoryName": "运输"},
        ]}}, "JDVA00000000001")
    carrier_contract.check_events(events)
    assert [e.state for e in events] == ["picked_up", "in_transit", "out_for_delivery", "delivered"]
    assert (events[0].at, events[0].carrier_code, events[0].description) == (
        datetime(2026, 1, 1, 10, 0, tzinfo=UTC), "30", "您的快件已揽收")

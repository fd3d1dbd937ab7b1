"""Kuaidi100 against our signature vectors (kuaidi100_query, kuaidi100_push: self-computed, fake keys).

Kuaidi100's answers here are built from its documented query answer (message, nu, ischeck, com,
status, state, data[time, ftime, context, location, status, statusCode]) with fake values; the push
wraps the same answer as lastResult, as Kuaidi100 documents it.
"""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode

import pytest

from flexhub.shipping.carriers.kuaidi100 import Kuaidi100Carrier, push_sign, query_sign
from flexhub.shipping.errors import CarrierRefused
from flexhub.testing import carrier_contract

CREDENTIALS = {"customer": "FAKECUSTOMER", "key": "fake_key", "salt": "fake_salt", "company": "shunfeng"}


def test_meets_the_carrier_contract():
    carrier_contract.check_protocol(Kuaidi100Carrier())
    carrier_contract.check_unsupported(Kuaidi100Carrier(), CREDENTIALS)
    assert Kuaidi100Carrier().capabilities == {"tracking", "push"}


def test_queries_as_the_vector(signature_vectors):
    vector = signature_vectors["kuaidi100_query"]
    assert query_sign(vector["param"], vector["key"], vector["customer"]) == vector["sign"]
    request = Kuaidi100Carrier().tracking_request(CREDENTIALS, "SF1234567890")
    carrier_contract.check_request(request)
    assert (request.method, request.url) == ("POST", "https://poll.kuaidi100.com/poll/query.do")
    form = {key: values[0] for key, values in parse_qs(request.content.decode()).items()}
    assert form == {"customer": "FAKECUSTOMER", "param": vector["param"], "sign": vector["sign"]}


def test_reads_an_answer_and_refusals():
    events = Kuaidi100Carrier().parse_tracking({
        "message": "ok", "nu": "SF1234567890", "ischeck": "1", "com": "shunfeng", "status": "200", "state": "3",
        "data": [
            {"time": "2026-01-02 10:00:00", "ftime": "2026-01-02 10:00:00", "context": "已签收", "location": "北京市",
             "status": "签收", "statusCode": "301"},
            {"time": "2026-01-02 08:00:00", "ftime": "2026-01-02 08:00:00", "context": "派件中", "status": "派件",
             "statusCode": "5"},
            {"time": "2026-01-01 20:00:00", "ftime": "2026-01-01 20:00:00", "context": "到达北京", "status": "在途",
             "statusCode": "1001"},
            {"time": "2026-01-01 10:00:00", "ftime": "2026-01-01 10:00:00", "context": "已揽收", "status": "揽收",
             "statusCode": "103", "areaName": "广东,深圳市"},
        ]}, "SF1234567890")
    carrier_contract.check_events(events)
    assert [(e.state, e.carrier_code) for e in events] == [
        ("picked_up", "103"), ("in_transit", "1001"), ("out_for_delivery", "5"), ("delivered", "301")]
    assert (events[0].at, events[0].location) == (datetime(2026, 1, 1, 2, 0, tzinfo=UTC), "广东,深圳市")
    with pytest.raises(CarrierRefused):
        Kuaidi100Carrier().parse_tracking({"result": False, "returnCode": "400", "message": "找不到对应公司"}, "X")


def test_verifies_pushes_as_the_vector(signature_vectors):
    vector = signature_vectors["kuaidi100_push"]
    assert push_sign(vector["param"], vector["salt"]) == vector["sign"]
    body = urlencode({"param": vector["param"], "sign": vector["sign"]}).encode()
    carrier_contract.check_push_signature(Kuaidi100Carrier(), {"salt": vector["salt"]}, {}, body, signs_body=False,
                                          unsigned_body=urlencode({"param": vector["param"]}).encode())
    assert Kuaidi100Carrier().parse_push({}, body) == []  # polling has begun; no scans yet
    param = json.dumps({"status": "polling", "message": "", "lastResult": {
        "state": "0", "ischeck": "0", "com": "shunfeng", "nu": "SF1234567890", "status": "200", "data": [
            {"time": "2026-01-01 10:00:00", "context": "已揽收", "status": "揽收", "statusCode": "1"}]}},
        ensure_ascii=False)
    [event] = Kuaidi100Carrier().parse_push({}, urlencode({"param": param, "sign": push_sign(param, "s")}).encode())
    assert (event.waybill_number, event.state) == ("SF1234567890", "picked_up")
    assert json.loads(Kuaidi100Carrier().push_ack)["returnCode"] == "200"

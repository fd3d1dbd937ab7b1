"""The sandbox SF Express answers flexhub's own SF adapter as SF does: a digest it cannot verify is refused, a
waybill is issued once per order id, routes are answered for the numbers asked, and a parcel's scans go out as
signed-by-token pushes in the order a parcel travels."""

import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest

from flexhub.sandbox.carrier import JOURNEY, SfSandbox
from flexhub.shipping.carrier import ApiRequest
from flexhub.shipping.carriers.sf_express import SfExpressCarrier
from flexhub.shipping.errors import CarrierRefused
from flexhub.testing.carrier_contract import domestic_shipment

adapter = SfExpressCarrier()


@pytest.fixture
def sf() -> Iterator[SfSandbox]:
    sandbox = SfSandbox()
    yield sandbox
    sandbox.close()


def call(sf: SfSandbox, request: ApiRequest) -> dict:
    return sf.serve({k: v[0] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()})


def test_a_waybill_is_issued_once_per_order_and_its_routes_answer_the_query(sf: SfSandbox) -> None:
    credentials = sf.credentials("http://sf.sandbox", "token")
    first = adapter.parse_waybill(call(sf, adapter.waybill_request(credentials, domestic_shipment())))
    again = adapter.parse_waybill(call(sf, adapter.waybill_request(credentials, domestic_shipment())))
    assert first.number == again.number and first.number.startswith("SF") and len(sf.parcels) == 1
    assert adapter.parse_tracking(call(sf, adapter.tracking_request(credentials, first.number)), first.number) == []
    for _ in JOURNEY:
        assert sf.advance() == 1
    assert sf.advance() == 0  # delivered: it travels no further
    events = adapter.parse_tracking(call(sf, adapter.tracking_request(credentials, first.number)), first.number)
    assert [e.state for e in events] == list(JOURNEY)
    assert all(a.at < b.at for a, b in zip(events, events[1:], strict=False))
    [quote] = adapter.parse_rates(call(sf, adapter.rate_request(credentials, domestic_shipment())))
    kilos = -(-domestic_shipment().weight_g // 1000)  # a started kilogram is charged whole
    assert (quote.service, quote.price.amount, quote.promised_days) == ("2", 1200 * kilos, 2)


def test_a_call_signed_with_another_check_word_is_refused(sf: SfSandbox) -> None:
    forged = {**sf.credentials("http://sf.sandbox", "token"), "check_word": "not-it"}
    answer = call(sf, adapter.waybill_request(forged, domestic_shipment()))
    with pytest.raises(CarrierRefused):
        adapter.parse_waybill(answer)
    assert answer["apiResultCode"] == "A1006" and sf.parcels == {}


def test_a_pushed_scan_verifies_and_parses_as_sfs_route_push(sf: SfSandbox) -> None:
    credentials = sf.credentials("http://sf.sandbox", "token")
    number = adapter.parse_waybill(call(sf, adapter.waybill_request(credentials, domestic_shipment()))).number
    route = sf.scan(number, "picked_up", push=False)
    push = sf.push_request([route], "/webhooks/carriers/sf_express/acct?token=token")
    adapter.verify_push(credentials, {"token": "token"}, push.body)
    [event] = adapter.parse_push(push.headers, push.body)
    assert (event.waybill_number, event.state, event.carrier_code) == (number, "picked_up", "54")
    assert json.loads(push.body)["Body"]["WaybillRoute"][0]["orderid"] == "FH-SHP-0001"

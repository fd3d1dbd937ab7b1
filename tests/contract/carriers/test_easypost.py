"""EasyPost against its official samples: a recorded buy answer, its event body and its webhook HMAC vector."""

import base64
import json
import unicodedata

import pytest

from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.kernel.money import Money
from flexhub.shipping.carriers.easypost import PRODUCTION, EasyPostCarrier, buy_request
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported
from flexhub.testing import carrier_contract
from flexhub.testing.carrier_contract import international_shipment

CREDENTIALS = {"api_key": "EZTKfake", "webhook_secret": "fake",
               "carrier_account_id": "ca_b25657e9896e4d63ac8151ac346ac41e"}


def test_meets_the_carrier_contract():
    carrier_contract.check_protocol(EasyPostCarrier())
    carrier_contract.check_unsupported(EasyPostCarrier(), CREDENTIALS)


def test_quotes_from_the_recorded_shipment(sample_json):
    quotes = EasyPostCarrier().parse_rates(sample_json("easypost_shipment_buy_response.json")["response"])
    carrier_contract.check_quotes(quotes)
    assert [(q.service, q.price, q.promised_days, q.rate_id) for q in quotes] == [
        ("USPS:Express", Money(3415, "USD"), 1, "rate_c4f7e5ff2f4c4c1394fc750a3260755f"),
        ("USPS:Priority", Money(742, "USD"), 2, "rate_5b67424f63314af1b997aa72d45e41be"),
        ("USPS:GroundAdvantage", Money(607, "USD"), 3, "rate_4d1f36fa716c4b1292cacbdf19227c2d")]


def test_buys_the_recorded_rate(sample_json):
    recorded = sample_json("easypost_shipment_buy_response.json")
    request = buy_request(CREDENTIALS, recorded["response"]["id"], "rate_4d1f36fa716c4b1292cacbdf19227c2d")
    assert (request.method, request.url) == ("POST", f"{PRODUCTION}/shipments/shp_16578f588f9546ec914afd2474e24ff5/buy")
    assert request.json == recorded["request_body"]
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"EZTKfake:").decode()
    waybill = EasyPostCarrier().parse_waybill(recorded["response"])
    carrier_contract.check_waybill(waybill)
    assert (waybill.number, waybill.carrier_order_id, waybill.label_format, waybill.label) == (
        "9400100208303109505657", "shp_16578f588f9546ec914afd2474e24ff5", "png", None)
    assert waybill.label_url.endswith("/e813a2cf6d079c4ea49714758be7711be0.png")


def test_one_call_buy_names_service_and_account():
    shipment = international_shipment(service="USPS:GroundAdvantage", insurance=Money(10_000, "USD"),
                                      cod=Money(2_550, "USD"))
    request = EasyPostCarrier().waybill_request(CREDENTIALS, shipment)
    carrier_contract.check_request(request)
    body = request.json["shipment"]
    assert (body["service"], body["carrier_accounts"]) == ("GroundAdvantage", ["ca_b25657e9896e4d63ac8151ac346ac41e"])
    assert body["parcel"] == {"weight": 70.5, "length": 13.8, "width": 7.9, "height": 7.1}  # oz and inches
    assert body["to_address"] == {"name": "Test Buyer", "street1": "Testweg 2", "city": "Amsterdam", "zip": "1043 AG",
                                  "country": "NL", "phone": "+31200000000", "email": "buyer@example.com"}
    assert (body["insurance"], body["options"], body["reference"]) == ("100.00", {"cod_amount": "25.50"},
                                                                       "FH-SHP-0002")
    with pytest.raises(ValueError):
        EasyPostCarrier().waybill_request(CREDENTIALS, international_shipment())
    two = international_shipment(parcels=international_shipment().parcels * 2, service="USPS:Priority")
    with pytest.raises(CarrierUnsupported):
        EasyPostCarrier().waybill_request(CREDENTIALS, two)
    with pytest.raises(CarrierRefused):
        EasyPostCarrier().parse_waybill({"error": {"code": "SHIPMENT.POSTAGE.FAILURE", "message": "no"}})


def test_verifies_the_official_hmac_vector(samples, sample_json):
    vector = sample_json("easypost_webhook_hmac_test_vector.json")
    body = (samples / "easypost_webhook_event_body.json").read_bytes().rstrip(b"\n")
    headers = {"x-hmac-signature": vector["expected_X-Hmac-Signature"]}
    carrier_contract.check_push_signature(EasyPostCarrier(), {"webhook_secret": vector["secret"]}, headers, body)
    # The secret is NFKD-normalised before use: its composed "é" alone would sign differently.
    composed = "hmac-sha256-hex=" + hmac_sha256_hex(unicodedata.normalize("NFC", vector["secret"]), body)
    assert composed != vector["expected_X-Hmac-Signature"]


def test_reads_the_tracker_event(samples):
    body = (samples / "easypost_webhook_event_body.json").read_bytes()
    events = EasyPostCarrier().parse_push({}, body)
    carrier_contract.check_events(events)
    assert len(events) == 7 and {e.waybill_number for e in events} == {"1"}
    first, last = events[0], events[-1]
    assert (first.state, first.carrier_code, first.description, first.location) == (
        "info_received", "OC", "Shipment information sent to FedEx", "US")
    assert (last.state, last.carrier_code, last.location, last.at.isoformat()) == (
        "in_transit", "AR", "EDISON, NJ, US", "2024-08-02T18:50:00+00:00")
    assert EasyPostCarrier().parse_push({}, json.dumps({"result": {"object": "Batch"}}).encode()) == []


def test_tracks_by_creating_the_tracker():
    request = EasyPostCarrier().tracking_request({**CREDENTIALS, "base_url": "http://localhost:9400/v2/"}, "EZ1000")
    assert request.url == "http://localhost:9400/v2/trackers"
    assert request.json == {"tracker": {"tracking_code": "EZ1000"}}

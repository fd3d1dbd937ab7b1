"""DHL: tracking against the Unified Tracking example; MyDHL waybills and quotes from its documented fields.

dhl_unified_tracking_GET_track_shipments_example.json is DHL's own example answer (see SOURCES.md).
No official MyDHL answer file was at hand, so the shipment and rates answers here are built from the
MyDHL API's response fields (shipmentTrackingNumber, packages[].trackingNumber, documents[] with
typeCode/imageFormat/content; products[] with productCode, productName, totalPrice[currencyType,
priceCurrency, price], deliveryCapabilities.totalTransitDays), with fake values.
"""

import base64
from datetime import UTC, datetime

import pytest

from flexhub.kernel.money import Money
from flexhub.shipping.carriers.dhl import MYDHL, DhlCarrier
from flexhub.shipping.errors import CarrierRefused, CarrierUnsupported
from flexhub.testing import carrier_contract
from flexhub.testing.carrier_contract import international_shipment
from flexhub.testing.clocks import movable_clock

CREDENTIALS = {"api_key": "fake-api-key", "mydhl_username": "fakeuser", "mydhl_password": "fakepass",
               "account_number": "123456789"}
AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_meets_the_carrier_contract():
    carrier_contract.check_protocol(DhlCarrier())
    carrier_contract.check_unsupported(DhlCarrier(), CREDENTIALS)
    assert DhlCarrier().rate_limit.per_second == 0.2  # one call per 5 seconds on the default plan


def test_tracks_with_the_api_key():
    request = DhlCarrier().tracking_request(CREDENTIALS, "7777777770")
    carrier_contract.check_request(request)
    assert (request.method, request.url, request.params) == (
        "GET", "https://api-eu.dhl.com/track/shipments", {"trackingNumber": "7777777770"})
    assert request.headers["DHL-API-Key"] == "fake-api-key"


def test_reads_the_unified_tracking_example(sample_json):
    events = DhlCarrier().parse_tracking(sample_json("dhl_unified_tracking_GET_track_shipments_example.json"),
                                         "7777777770")
    carrier_contract.check_events(events)
    [event] = events
    # The example's event is statusCode pre-transit (its `status` text says DELIVERED: the code is what counts).
    assert (event.waybill_number, event.state, event.carrier_code, event.at, event.location, event.description) == (
        "7777777770", "info_received", "pre-transit", datetime(2018, 3, 2, 7, 53, 47, tzinfo=UTC),
        "Oderweg 2, AMSTERDAM", "JESSICA")


def test_maps_status_codes():
    def state(code, text=""):
        answer = {"shipments": [{"id": "1", "events": [{"timestamp": "2026-01-05T10:00:00+01:00",
                                                        "statusCode": code, "description": text}]}]}
        [event] = DhlCarrier().parse_tracking(answer, "1")
        return event.state, event.at

    assert state("transit") == ("in_transit", datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert state("transit", "Shipment is out for delivery")[0] == "out_for_delivery"
    assert state("delivered")[0] == "delivered"
    assert state("failure")[0] == "exception"
    assert state("unknown")[0] == "in_transit"
    with pytest.raises(CarrierRefused):
        DhlCarrier().parse_tracking({"title": "No result found", "status": 404, "detail": "none"}, "1")


def test_creates_a_shipment_with_mydhl():
    shipment = international_shipment(declared_value=Money(4_650, "EUR"), insurance=Money(5_000, "EUR"))
    with movable_clock(AT):
        request = DhlCarrier().waybill_request(CREDENTIALS, shipment)
    carrier_contract.check_request(request)
    assert (request.method, request.url) == ("POST", f"{MYDHL}/shipments")
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"fakeuser:fakepass").decode()
    body = request.json
    assert body["plannedShippingDateAndTime"] == "2026-01-05T10:00:00 GMT+00:00"
    assert (body["productCode"], body["accounts"]) == ("P", [{"typeCode": "shipper", "number": "123456789"}])
    assert body["customerDetails"]["receiverDetails"] == {
        "postalAddress": {"postalCode": "1043 AG", "cityName": "Amsterdam", "countryCode": "NL",
                          "addressLine1": "Testweg 2"},
        "contactInformation": {"fullName": "Test Buyer", "phone": "+31200000000", "companyName": "Test Buyer",
                               "email": "buyer@example.com"}}
    assert body["content"] == {
        "packages": [{"weight": 2.0, "dimensions": {"length": 35.0, "width": 20.0, "height": 18.0}}],
        "isCustomsDeclarable": True, "description": "cotton shirts", "incoterm": "DAP", "unitOfMeasurement": "metric",
        "declaredValue": 46.5, "declaredValueCurrency": "EUR"}
    assert body["valueAddedServices"] == [{"serviceCode": "II", "value": 50.0, "currency": "EUR"}]
    assert body["customerReferences"] == [{"value": "FH-SHP-0002", "typeCode": "CU"}]
    with pytest.raises(CarrierUnsupported):
        DhlCarrier().waybill_request(CREDENTIALS, international_shipment(cod=Money(100, "EUR")))


def test_reads_the_label_mydhl_sends():
    pdf = b"%PDF-1.4 fake label"
    waybill = DhlCarrier().parse_waybill({
        "url": "https://express.api.dhl.com/mydhlapi/shipments", "shipmentTrackingNumber": "1234567890",
        "trackingUrl": "https://express.api.dhl.com/mydhlapi/shipments/1234567890/tracking",
        "packages": [{"referenceNumber": 1, "trackingNumber": "JD914600003889482921"}],
        "documents": [{"imageFormat": "PDF", "content": base64.b64encode(pdf).decode(), "typeCode": "label"}]})
    carrier_contract.check_waybill(waybill)
    assert (waybill.number, waybill.label, waybill.label_format, waybill.parcel_numbers) == (
        "1234567890", pdf, "pdf", ("JD914600003889482921",))
    with pytest.raises(CarrierRefused):
        DhlCarrier().parse_waybill({"instance": "/expressapi/shipments", "detail": "Missing account", "title":
                                    "Missing parameters", "message": "Bad request", "status": "400"})


def test_quotes_in_the_billing_currency():
    with movable_clock(AT):
        request = DhlCarrier().rate_request({**CREDENTIALS, "base_url": "http://localhost:9300"},
                                            international_shipment())
    assert request.url == "http://localhost:9300/mydhlapi/rates"  # a sandbox serves MyDHL under its base_url
    assert request.json["customerDetails"]["shipperDetails"] == {
        "postalCode": "518000", "cityName": "Shenzhen", "countryCode": "CN", "addressLine1": "1 Test Road"}
    assert request.json["isCustomsDeclarable"] is False  # nothing declared: documents
    quotes = DhlCarrier().parse_rates({"products": [
        {"productName": "EXPRESS WORLDWIDE", "productCode": "P",
         "totalPrice": [{"currencyType": "BILLC", "priceCurrency": "CNY", "price": 812.4},
                        {"currencyType": "PULCL", "priceCurrency": "CNY", "price": 812.4},
                        {"currencyType": "BASEC", "priceCurrency": "EUR", "price": 103.15}],
         "deliveryCapabilities": {"estimatedDeliveryDateAndTime": "2026-01-08T23:59:00", "totalTransitDays": "3"}}]})
    carrier_contract.check_quotes(quotes)
    assert [(q.service, q.service_name, q.price, q.promised_days) for q in quotes] == [
        ("P", "EXPRESS WORLDWIDE", Money(81_240, "CNY"), 3)]

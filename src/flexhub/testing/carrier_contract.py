"""The contract every carrier adapter meets, as reusable checks for each carrier's contract test.

A carrier test calls these with its adapter, the carrier's samples and signature vectors:

    check_protocol(adapter)
    check_request(adapter.waybill_request(credentials, domestic_shipment()))
    check_quotes(adapter.parse_rates(sample)); check_waybill(...); check_events(...)
    check_push_signature(adapter, credentials, headers, body)
    check_unsupported(adapter, credentials)
"""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

import pytest

from flexhub.kernel.money import Money
from flexhub.shipping.carrier import (
    CAPABILITIES,
    TRACKING_STATES,
    Address,
    ApiRequest,
    CarrierAdapter,
    Parcel,
    Quote,
    Shipment,
    SignatureInvalid,
    TrackingEvent,
    Waybill,
)
from flexhub.shipping.errors import CarrierUnsupported

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def domestic_shipment(**fields) -> Shipment:
    """A Shenzhen-to-Beijing parcel with obviously fake people."""
    shipment = Shipment(
        reference="FH-SHP-0001",
        sender=Address(name="测试仓", phone="13800000000", country="CN", province="广东省", city="深圳市",
                       district="南山区", line1="科技园测试路1号", company="Flexhub 测试仓"),
        recipient=Address(name="测试买家", phone="13900001234", country="CN", province="北京市", city="北京市",
                          district="朝阳区", line1="测试街道测试路2号"),
        parcels=(Parcel(weight_g=1500, length_mm=300, width_mm=200, height_mm=100, description="T恤"),),
        contents="服装",
    )
    return _replace(shipment, fields)


def international_shipment(**fields) -> Shipment:
    """A Shenzhen-to-Amsterdam parcel with obviously fake people."""
    shipment = Shipment(
        reference="FH-SHP-0002",
        sender=Address(name="Test Warehouse", phone="+8613800000000", country="CN", province="Guangdong",
                       city="Shenzhen", postal_code="518000", line1="1 Test Road", company="Flexhub Test"),
        recipient=Address(name="Test Buyer", phone="+31200000000", country="NL", city="Amsterdam",
                          postal_code="1043 AG", line1="Testweg 2", email="buyer@example.com"),
        parcels=(Parcel(weight_g=2000, length_mm=350, width_mm=200, height_mm=180, description="shirts"),),
        contents="cotton shirts",
    )
    return _replace(shipment, fields)


def _replace(shipment: Shipment, fields: Mapping) -> Shipment:
    return replace(shipment, **fields)


def check_protocol(adapter: CarrierAdapter) -> None:
    assert isinstance(adapter, CarrierAdapter)
    assert SNAKE.match(adapter.carrier)
    assert adapter.credential_fields and all(SNAKE.match(f) for f in adapter.credential_fields)
    assert "base_url" not in adapter.credential_fields  # always optional, never a setting people must give
    assert adapter.rate_limit.per_second > 0 and adapter.rate_limit.burst >= 1
    assert adapter.capabilities and adapter.capabilities <= set(CAPABILITIES)
    if "push" in adapter.capabilities:
        json.loads(adapter.push_ack)


def check_request(request: ApiRequest) -> None:
    assert isinstance(request, ApiRequest)
    assert request.method in ("GET", "POST", "PUT", "PATCH")
    assert request.url.startswith(("https://", "http://"))
    assert request.json is None or request.content is None, "one body at most"


def check_quotes(quotes: Sequence[Quote]) -> None:
    assert quotes, "a quote answer has quotes"
    for quote in quotes:
        assert quote.service and isinstance(quote.service, str)
        assert isinstance(quote.price, Money) and quote.price.amount >= 0
        assert quote.promised_days is None or quote.promised_days >= 0
        assert quote.promised_by is None or quote.promised_by.utcoffset() == timedelta(0)


def check_waybill(waybill: Waybill) -> None:
    assert waybill.number and isinstance(waybill.number, str)
    assert waybill.label is None or waybill.label_format in ("pdf", "png", "zpl")
    assert waybill.label_url is None or waybill.label_url.startswith(("https://", "http://"))


def check_events(events: Sequence[TrackingEvent]) -> None:
    assert events, "a tracking answer has events"
    for event in events:
        assert event.waybill_number and isinstance(event.waybill_number, str)
        assert event.state in TRACKING_STATES, event.state
        assert event.at.utcoffset() == timedelta(0), event.at
        assert isinstance(event.carrier_code, str)
    keys = [(event.waybill_number, event.at) for event in events]
    assert keys == sorted(keys), "oldest first"


def check_push_signature(adapter: CarrierAdapter, credentials: Mapping[str, str], headers: Mapping[str, str],
                         body: bytes, *, signs_body: bool = True, unsigned_body: bytes | None = None) -> None:
    """Accepts the signed push; refuses another secret, no signature and (where it is signed) another body.

    Where the signature travels in the body (form pushes), `unsigned_body` is that body without it.
    """
    adapter.verify_push(credentials, headers, body)
    if signs_body:
        with pytest.raises(SignatureInvalid):
            adapter.verify_push(credentials, headers, body + b" ")
    with pytest.raises(SignatureInvalid):
        adapter.verify_push({k: v + "x" for k, v in credentials.items()}, headers, body)
    with pytest.raises(SignatureInvalid):
        adapter.verify_push(credentials, {}, body if unsigned_body is None else unsigned_body)


def check_unsupported(adapter: CarrierAdapter, credentials: Mapping[str, str]) -> None:
    """What a carrier cannot do is refused with shipping.carrier_unsupported, never half done."""
    calls: dict[str, list[Callable[[], object]]] = {
        "rates": [lambda: adapter.rate_request(credentials, domestic_shipment()), lambda: adapter.parse_rates({})],
        "waybill": [lambda: adapter.waybill_request(credentials, domestic_shipment()),
                    lambda: adapter.parse_waybill({})],
        "tracking": [lambda: adapter.tracking_request(credentials, "X1"), lambda: adapter.parse_tracking({}, "X1")],
        "push": [lambda: adapter.verify_push(credentials, {}, b"{}"), lambda: adapter.parse_push({}, b"{}")],
    }
    for capability in set(CAPABILITIES) - adapter.capabilities:
        for call in calls[capability]:
            with pytest.raises((CarrierUnsupported, SignatureInvalid)):
                call()

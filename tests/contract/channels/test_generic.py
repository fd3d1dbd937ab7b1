"""The generic adapter: the brand's own site sends flexhub's canonical JSON (our own format, no sample needed)."""

import json

from flexhub.channels.platforms.generic import GenericAdapter
from flexhub.channels.registry import adapter_for
from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.testing import adapter_contract
from flexhub.testing.builders import order_body

CREDENTIALS = {"webhook_secret": "s3cret", "base_url": "https://shop.example.com/flexhub"}


def test_meets_the_adapter_contract():
    adapter = adapter_for("generic")
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)


def test_webhook_signature_and_order():
    body = json.dumps(order_body("W-1", payment_state="pending")).encode()
    headers = {"x-flexhub-signature": "sha256=" + hmac_sha256_hex("s3cret", body)}
    adapter = GenericAdapter()
    adapter_contract.check_webhook_signature(adapter, CREDENTIALS, headers, body)
    [order] = adapter.parse_webhook(headers, body)
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.lines[0].external_sku) == ("W-1", "unpaid", "TEE-RED-M")
    assert order.lines[0].unit_price == 9900 and order.shipping_address["postal_code"] == "310000"


def test_a_return_request_is_no_order_change():
    body = json.dumps({"return_id": "R-1", "order_external_id": "W-1", "reason": "too small",
                       "lines": [{"sku": "TEE-RED-M", "quantity": 2}], "requested_at": "2026-12-01T08:00:00+00:00"})
    headers = {"x-flexhub-topic": "return.requested"}
    adapter = GenericAdapter()
    assert adapter.parse_webhook(headers, body.encode()) == []
    [request] = adapter.parse_returns(headers, body.encode())
    assert (request.external_id, request.order_external_id, request.lines, request.reason) == (
        "R-1", "W-1", (("TEE-RED-M", 2),), "too small")
    assert adapter.parse_returns({}, json.dumps(order_body("W-1")).encode()) == []


def test_a_refunded_order_is_refunded_and_a_vip_keeps_its_mark():
    adapter = GenericAdapter()
    refunded, partly, vip = (adapter.parse_order(order_body(external_id, **fields)) for external_id, fields in (
        ("W-2", {"payment_state": "refunded"}), ("W-3", {"payment_state": "partially_refunded"}),
        ("W-4", {"vip": True})))
    assert (refunded.status, refunded.payment_state) == ("refunded", "refunded")
    assert (partly.status, partly.payment_state) == ("paid", "partially_refunded")
    assert vip.vip and not refunded.vip

"""eBay Sell APIs. No official getOrders sample was saved (SOURCES.md: the OpenAPI contract has no
examples), so the order below is built here from the documented Order type of the Fulfillment API
(sell_fulfillment_v1_oas3.json: orderId, orderFulfillmentStatus, orderPaymentStatus, cancelStatus,
pricingSummary, buyer, lineItems[] with sku/legacyItemId/quantity/lineItemCost/discountedLineItemCost,
fulfillmentStartInstructions[].shippingStep.shipTo). Its values are ours.

Notifications are signed with ECDSA, not a shared secret, so `check_webhook_signature` does not apply;
the key pair below is derived from a fixed number and signs deterministically (RFC 6979). The
ORDER_CONFIRMATION body follows eBay's asyncapi contract (metadata, notification{..., data}); the
corpus shows only that `data` names the `orderId`.
"""

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.platforms.ebay import EbayAdapter
from flexhub.integrations.signing import SignatureInvalid
from flexhub.kernel.errors import ValidationFailed
from flexhub.testing import adapter_contract
from flexhub.testing.clocks import movable_clock

CREDENTIALS = {"client_id": "FlexHub-flexhub-PRD-fake", "client_secret": "PRD-fake-cert",
               "refresh_token": "v^1.1#fake", "access_token": "v^1.1#user-fake", "application_token": "v^1.1#app-fake"}
HOST = "https://api.ebay.com"
adapter = EbayAdapter()


def usd(value: str) -> dict[str, str]:
    return {"value": value, "currency": "USD"}


ORDER = {
    "orderId": "04-08412-41539", "legacyOrderId": "110123456789-2900012345001", "sellerId": "flexhub_brand",
    "creationDate": "2025-06-18T09:15:02.768Z", "lastModifiedDate": "2025-06-18T09:20:11.000Z",
    "orderFulfillmentStatus": "NOT_STARTED", "orderPaymentStatus": "PAID",
    "cancelStatus": {"cancelState": "NONE_REQUESTED", "cancelRequests": []},
    "buyer": {"username": "jane_buyer"},
    "pricingSummary": {"priceSubtotal": usd("69.97"), "priceDiscountSubtotal": usd("-5.00"),
                       "deliveryCost": usd("7.50"), "deliveryDiscount": usd("-2.50"), "total": usd("69.97")},
    "fulfillmentStartInstructions": [{"fulfillmentInstructionsType": "SHIP_TO", "shippingStep": {
        "shippingCarrierCode": "USPS", "shippingServiceCode": "USPSPriority",
        "shipTo": {"fullName": "Jane Buyer", "email": "jane.buyer@example.com",
                   "primaryPhone": {"phoneNumber": "4085551234"},
                   "contactAddress": {"addressLine1": "2145 Hamilton Ave", "addressLine2": "Apt 4", "city": "San Jose",
                                      "county": "Santa Clara", "stateOrProvince": "CA", "postalCode": "95125",
                                      "countryCode": "US"}}}}],
    "lineItems": [
        {"lineItemId": "10044447654321", "legacyItemId": "110123456789", "sku": "TEE-RED-M", "title": "Tee, red, M",
         "quantity": 3, "lineItemCost": usd("59.97"), "discountedLineItemCost": usd("54.97"),
         "appliedPromotions": [{"promotionId": "5012345678", "discountAmount": usd("5.00")}],
         "lineItemFulfillmentStatus": "NOT_STARTED"},
        {"lineItemId": "10044447654322", "legacyItemId": "110123456790", "sku": "MUG-BLUE", "title": "Mug, blue",
         "quantity": 1, "lineItemCost": usd("10.00"), "appliedPromotions": [],
         "lineItemFulfillmentStatus": "NOT_STARTED"},
    ],
}


def test_meets_the_adapter_contract():
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    assert adapter.credential_fields == ("client_id", "client_secret", "refresh_token")
    assert adapter.rate_limit.stock_batch == 25


def test_order_from_the_documented_fields():
    order = adapter.parse_order(ORDER)
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "04-08412-41539", "paid", "NOT_STARTED/PAID", "USD")
    tee, mug = order.lines
    assert (tee.external_sku, tee.external_item_id, tee.external_line_id, tee.title) == (
        "TEE-RED-M", "110123456789", "10044447654321", "Tee, red, M")
    assert (tee.quantity, tee.unit_price, tee.discount) == (3, 1999, 500)  # 59.97 for three, 54.97 after promotion
    assert (mug.external_sku, mug.quantity, mug.unit_price, mug.discount) == ("MUG-BLUE", 1, 1000, 0)
    assert (order.shipping_fee, order.order_discount) == (750, 250)
    assert order.shipping_address == {"country": "US", "province": "CA", "city": "San Jose", "district": "Santa Clara",
                                      "line1": "2145 Hamilton Ave", "line2": "Apt 4", "postal_code": "95125"}
    assert order.buyer == {"name": "Jane Buyer", "phone": "4085551234", "email": "jane.buyer@example.com",
                           "external_id": "jane_buyer"}
    assert order.placed_at == datetime(2025, 6, 18, 9, 15, 2, 768000, tzinfo=UTC)
    assert order.updated_at == datetime(2025, 6, 18, 9, 20, 11, tzinfo=UTC)


@pytest.mark.parametrize(("fulfillment", "payment", "cancel", "status", "platform_status"), [
    ("NOT_STARTED", "PENDING", "NONE_REQUESTED", "unpaid", "NOT_STARTED/PENDING"),
    ("NOT_STARTED", "FAILED", "NONE_REQUESTED", "unpaid", "NOT_STARTED/FAILED"),
    ("IN_PROGRESS", "PAID", "NONE_REQUESTED", "paid", "IN_PROGRESS/PAID"),
    ("FULFILLED", "PAID", "NONE_REQUESTED", "shipped", "FULFILLED/PAID"),
    ("FULFILLED", "PARTIALLY_REFUNDED", "NONE_REQUESTED", "shipped", "FULFILLED/PARTIALLY_REFUNDED"),
    ("FULFILLED", "FULLY_REFUNDED", "NONE_REQUESTED", "refunded", "FULFILLED/FULLY_REFUNDED"),
    ("NOT_STARTED", "PAID", "IN_PROGRESS", "paid", "NOT_STARTED/PAID/cancel:IN_PROGRESS"),
    ("NOT_STARTED", "FULLY_REFUNDED", "CANCELED", "cancelled", "NOT_STARTED/FULLY_REFUNDED/cancel:CANCELED"),
])
def test_statuses(fulfillment, payment, cancel, status, platform_status):
    order = adapter.parse_order({**ORDER, "orderFulfillmentStatus": fulfillment, "orderPaymentStatus": payment,
                                 "cancelStatus": {"cancelState": cancel}})
    assert (order.status, order.platform_status) == (status, platform_status)


def test_unknown_status_is_refused_and_a_listing_without_sku_keys_by_item_id():
    with pytest.raises(ValidationFailed):
        adapter.parse_order({**ORDER, "orderPaymentStatus": "BARTERED"})
    order = copy.deepcopy(ORDER)
    del order["lineItems"][1]["sku"]
    assert adapter.parse_order(order).lines[1].external_sku == "110123456790"


def test_orders_request_filters_by_last_modified_and_pages_by_offset():
    since, until = datetime(2025, 6, 18, 12, 0, tzinfo=UTC), datetime(2025, 6, 18, 12, 5, 30, 250000, tzinfo=UTC)
    first = adapter.orders_request(CREDENTIALS, since, until, None)
    assert (first.method, first.url) == ("GET", f"{HOST}/sell/fulfillment/v1/order")
    assert first.headers["authorization"] == "Bearer v^1.1#user-fake"
    assert first.params == {"filter": "lastmodifieddate:[2025-06-18T12:00:00.000Z..2025-06-18T12:05:30.250Z]",
                            "limit": "200", "offset": "0"}
    page = adapter.parse_orders_page({"href": "...", "limit": 200, "offset": 0, "total": 250, "orders": [ORDER],
                                      "next": "/sell/fulfillment/v1/order?limit=200&offset=200"}, {})
    assert (page.orders, page.next_cursor) == ((ORDER,), "200")
    assert adapter.orders_request(CREDENTIALS, since, until, "200").params["offset"] == "200"
    assert adapter.parse_orders_page({"limit": 200, "offset": 200, "total": 250, "orders": []}, {}).next_cursor is None
    sandbox = adapter.orders_request({**CREDENTIALS, "base_url": "https://api.sandbox.ebay.com"}, since, until, None)
    assert sandbox.url == "https://api.sandbox.ebay.com/sell/fulfillment/v1/order"


def test_stock_goes_25_inventory_items_a_call():
    requests = adapter.stock_requests(CREDENTIALS, [StockPush(f"SKU-{n}", n) for n in range(45)])
    assert [len(r.json["requests"]) for r in requests] == [25, 20]
    first = requests[0]
    assert (first.method, first.url) == ("POST", f"{HOST}/sell/inventory/v1/bulk_update_price_quantity")
    assert first.headers["content-type"] == "application/json"
    assert first.json["requests"][:2] == [{"sku": "SKU-0", "shipToLocationAvailability": {"quantity": 0}},
                                          {"sku": "SKU-1", "shipToLocationAvailability": {"quantity": 1}}]


def test_stock_answer_names_refused_skus():
    """Shape of the BulkPriceQuantityResponse (responses[] with sku, statusCode, errors) as documented."""
    answer = {"responses": [
        {"sku": "SKU-0", "statusCode": 200, "errors": [], "warnings": []},
        {"sku": "SKU-1", "statusCode": 400, "errors": [{"errorId": 25702, "message": "SKU SKU-1 is not available"}]}]}
    assert adapter.stock_errors(answer) == {"SKU-1": ["25702: SKU SKU-1 is not available"]}


def test_shipment_is_a_shipping_fulfillment_for_line_items():
    notice = ShipmentNotice("04-08412-41539", "usps", "9400111899223100012345",
                            lines=(("10044447654321", 3), ("10044447654322", 1)))
    with movable_clock(datetime(2025, 6, 18, 12, 0, tzinfo=UTC)):
        request = adapter.shipment_request(CREDENTIALS, notice)
    assert (request.method, request.url) == (
        "POST", f"{HOST}/sell/fulfillment/v1/order/04-08412-41539/shipping_fulfillment")
    assert request.json == {"lineItems": [{"lineItemId": "10044447654321", "quantity": 3},
                                          {"lineItemId": "10044447654322", "quantity": 1}],
                            "shippedDate": "2025-06-18T12:00:00.000Z", "shippingCarrierCode": "USPS",
                            "trackingNumber": "9400111899223100012345"}
    other = ShipmentNotice("1", "RoyalMail", "RR1GB", lines=(("7", 1),))
    assert adapter.shipment_request(CREDENTIALS, other).json["shippingCarrierCode"] == "RoyalMail"
    with pytest.raises(ValidationFailed):
        adapter.shipment_request(CREDENTIALS, ShipmentNotice("1", "usps", "9400"))


KEY = ec.derive_private_key(0x5EC12E7, ec.SECP256R1())
PUBLIC_KEY = "".join(KEY.public_key().public_bytes(  # eBay's getPublicKey puts PEM on one line
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode().splitlines())
NOTIFICATION = {"metadata": {"topic": "ORDER_CONFIRMATION", "schemaVersion": "1.0", "deprecated": False},
                "notification": {"notificationId": "d2c1c7a3-0f6b-4cfe-9f6e-3b1d2a4f5e60_1",
                                 "eventDate": "2025-06-18T09:15:03.100Z", "publishDate": "2025-06-18T09:15:04.000Z",
                                 "publishAttemptCount": 1, "data": {"orderId": "04-08412-41539"}}}


def signed(message: dict, key: ec.EllipticCurvePrivateKey = KEY) -> tuple[dict[str, str], bytes]:
    body = json.dumps(message, separators=(",", ":")).encode()
    signature = key.sign(body, ec.ECDSA(hashes.SHA1(), deterministic_signing=True))
    header = {"alg": "ecdsa", "kid": "9936261a-7d7b-4621-a0f1-96ccb428af49",
              "signature": base64.b64encode(signature).decode(), "digest": "SHA1"}
    return {"x-ebay-signature": base64.b64encode(json.dumps(header).encode()).decode()}, body


def test_order_confirmation_signed_by_ebay():
    headers, body = signed(NOTIFICATION)
    credentials = {**CREDENTIALS, "notification_public_key": PUBLIC_KEY}
    adapter.verify_webhook(credentials, headers, body)
    adapter.verify_webhook(credentials, headers, json.dumps(NOTIFICATION, indent=2).encode())  # whitespace: unsigned
    assert adapter.parse_webhook(headers, body) == [OrderReference(
        "04-08412-41539", datetime(2025, 6, 18, 9, 15, 3, 100000, tzinfo=UTC))]
    assert adapter.signature_key_id(headers) == "9936261a-7d7b-4621-a0f1-96ccb428af49"


def test_order_confirmation_refusals():
    headers, body = signed(NOTIFICATION)
    credentials = {**CREDENTIALS, "notification_public_key": PUBLIC_KEY}
    changed = body.replace(b"04-08412-41539", b"04-08412-41540")
    other_key = "".join(ec.derive_private_key(0xBADC0DE, ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode().splitlines())
    for attempt in [(credentials, headers, changed), ({**credentials, "notification_public_key": other_key},
                    headers, body), (credentials, {}, body), (CREDENTIALS, headers, body),
                    (credentials, {"x-ebay-signature": "not base64 json"}, body),
                    ({**credentials, "notification_public_key": PUBLIC_KEY + "x"}, headers, body)]:
        with pytest.raises(SignatureInvalid):
            adapter.verify_webhook(*attempt)


def test_other_topics_name_no_order():
    message = {**NOTIFICATION, "metadata": {"topic": "MARKETPLACE_ACCOUNT_DELETION"},
               "notification": {**NOTIFICATION["notification"], "data": {"username": "test_user"}}}
    assert adapter.parse_webhook({}, json.dumps(message).encode()) == []


def test_tokens_public_key_and_endpoint_challenge():
    user = adapter.access_token_request(CREDENTIALS)
    keys = base64.b64encode(b"FlexHub-flexhub-PRD-fake:PRD-fake-cert").decode()
    assert (user.method, user.url, user.headers["authorization"]) == (
        "POST", f"{HOST}/identity/v1/oauth2/token", f"Basic {keys}")
    assert user.content.startswith(b"grant_type=refresh_token&refresh_token=v%5E1.1%23fake&scope=https%3A%2F%2F")
    app = adapter.application_token_request(CREDENTIALS)
    assert app.content == b"grant_type=client_credentials&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope"
    key = adapter.public_key_request(CREDENTIALS, "9936261a-7d7b-4621-a0f1-96ccb428af49")
    assert (key.url, key.headers["authorization"]) == (
        f"{HOST}/commerce/notification/v1/public_key/9936261a-7d7b-4621-a0f1-96ccb428af49", "Bearer v^1.1#app-fake")
    expected = hashlib.sha256(b"c0de" + b"token" + b"https://hub.example.com/webhooks/ebay/shop").hexdigest()
    assert adapter.challenge_response("c0de", "token", "https://hub.example.com/webhooks/ebay/shop") == expected

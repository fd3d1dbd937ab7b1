"""WooCommerce against the REST API docs' "Retrieve an order" example and our own signature vector."""

import base64
import json
from datetime import UTC, datetime

import pytest
from httpx2 import Headers

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.field_paths import field_path
from flexhub.channels.platforms.woocommerce import ListingWithoutItemId, WooCommerceAdapter, order_status
from flexhub.integrations.signing import hmac_sha256_base64
from flexhub.testing import adapter_contract

ORDER = "woocommerce_v3_order_retrieve_response.json"
CREDENTIALS = {"store_url": "https://example.com", "consumer_key": "ck_test", "consumer_secret": "cs_test",
               "webhook_secret": "hush"}
BASIC = "Basic " + base64.b64encode(b"ck_test:cs_test").decode()
adapter = WooCommerceAdapter()


def test_meets_the_adapter_contract():
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS, listings=250)


def test_webhook_signature_vector(signature_vectors):
    vector = signature_vectors["woocommerce_webhook"]
    headers = Headers({"X-WC-Webhook-Signature": vector["X-WC-Webhook-Signature"],
                       "X-WC-Webhook-Topic": "order.deleted"})
    body, credentials = vector["raw_body"].encode(), {**CREDENTIALS, "webhook_secret": vector["secret"]}
    adapter_contract.check_webhook_signature(adapter, credentials, headers, body)
    assert adapter.parse_webhook(headers, body) == [OrderReference("820982911946154508")]


def test_the_reference_order(sample_json):
    order = adapter.parse_order(sample_json(ORDER))
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == ("727", "paid", "processing",
                                                                                        "USD")
    # The first line has no SKU in the example: it is matched by its product id.
    assert [(line.external_sku, line.external_item_id, line.quantity, line.unit_price, line.discount)
            for line in order.lines] == [("93", "93", 2, 300, 0), ("Bar3", "22:23", 1, 1200, 0)]
    assert order.lines[1].external_line_id == "316"
    assert order.lines[1].title == "Ship Your Idea \u2013 Color: Black, Size: M Test"
    assert order.shipping_fee == 1000 and order.order_discount == 0
    assert order.placed_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)
    assert order.updated_at == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)
    assert order.shipping_address == {"country": "US", "province": "CA", "city": "San Francisco", "district": None,
                                      "line1": "969 Market", "line2": None, "postal_code": "94103"}
    assert order.buyer == {"name": "John Doe", "phone": "(555) 555-5555", "email": "john.doe@example.com",
                           "external_id": None}


def test_an_order_webhook_is_the_order_itself(sample_json):
    body = json.dumps(sample_json(ORDER)).encode()
    headers = Headers({"X-WC-Webhook-Signature": hmac_sha256_base64("hush", body),
                       "X-WC-Webhook-Topic": "order.updated"})
    adapter.verify_webhook(CREDENTIALS, headers, body)
    assert adapter.parse_webhook(headers, body) == [adapter.parse_order(sample_json(ORDER))]


def test_a_coupon_is_the_line_discount(sample_json):
    order = sample_json(ORDER)
    order["line_items"][0] |= {"quantity": 3, "subtotal": "10.00", "total": "8.00"}
    line = adapter.parse_order(order).lines[0]
    assert (line.unit_price, line.discount) == (334, 202)  # 3 x 3.34 - 2.02 = 8.00, the line total


@pytest.mark.parametrize(("status", "paid", "ours"), [
    ("pending", None, "unpaid"), ("on-hold", None, "unpaid"), ("failed", None, "unpaid"),
    ("processing", "2017-03-22T19:28:08", "paid"), ("completed", "2017-03-22T19:28:08", "shipped"),
    ("cancelled", None, "cancelled"), ("refunded", "2017-03-22T19:28:08", "refunded"), ("trash", None, "cancelled"),
    ("shipped", "2017-03-22T19:28:08", "paid"), ("awaiting-stock", None, "unpaid"),
])
def test_status_mapping(sample_json, status, paid, ours):
    assert order_status({**sample_json(ORDER), "status": status, "date_paid_gmt": paid}) == ours


def test_orders_are_polled_by_modification_time_and_page():
    since, until = datetime(2026, 3, 1, 8, 0, 0, 250, tzinfo=UTC), datetime(2026, 3, 1, 8, 5, tzinfo=UTC)
    request = adapter.orders_request(CREDENTIALS, since, until, None)
    assert (request.method, request.url) == ("GET", "https://example.com/wp-json/wc/v3/orders")
    assert request.params == {"modified_after": "2026-03-01T07:59:59", "modified_before": "2026-03-01T08:05:00",
                              "dates_are_gmt": "true", "orderby": "id", "order": "asc", "per_page": "100", "page": "1"}
    assert request.headers["Authorization"] == BASIC
    later = adapter.orders_request({**CREDENTIALS, "base_url": "http://127.0.0.1:8112"}, since, until, "3")
    assert later.url == "http://127.0.0.1:8112/wp-json/wc/v3/orders" and later.params["page"] == "3"


def test_the_next_page_comes_from_the_link_header(sample_json):
    link = ('<https://example.com/wp-json/wc/v3/orders?per_page=100&page=1>; rel="prev", '
            '<https://example.com/wp-json/wc/v3/orders?per_page=100&page=3>; rel="next"')
    page = adapter.parse_orders_page([sample_json(ORDER)], Headers({"Link": link, "X-WP-TotalPages": "4"}))
    assert page.next_cursor == "3" and page.orders[0]["id"] == 727
    assert adapter.parse_orders_page([], Headers({"X-WP-TotalPages": "2"})).next_cursor is None


def test_stock_goes_to_products_and_variations_in_batches_of_100():
    pushes = [StockPush(f"S{n}", n, external_item_id=str(100 + n)) for n in range(150)]
    pushes += [StockPush("Bar3", 7, external_item_id="22:23"), StockPush("Bar4", 0, external_item_id="22:24")]
    first, second, variations = adapter.stock_requests(CREDENTIALS, pushes)
    assert (first.method, first.url) == ("POST", "https://example.com/wp-json/wc/v3/products/batch")
    assert first.headers["Authorization"] == BASIC
    assert [len(r.json["update"]) for r in (first, second)] == [100, 50]
    assert first.json["update"][0] == {"id": 100, "manage_stock": True, "stock_quantity": 0}
    assert variations.url == "https://example.com/wp-json/wc/v3/products/22/variations/batch"
    assert variations.json == {"update": [{"id": 23, "manage_stock": True, "stock_quantity": 7},
                                          {"id": 24, "manage_stock": True, "stock_quantity": 0}]}


def test_stock_needs_the_product_id():
    with pytest.raises(ListingWithoutItemId):
        adapter.stock_requests(CREDENTIALS, [StockPush("Bar3", 1)])


def test_a_shipment_completes_the_order_and_tells_the_buyer():
    notice = ShipmentNotice("727", "UPS", "1Z999AA10123456784")
    request = adapter.shipment_request(CREDENTIALS, notice)
    assert (request.method, request.url) == ("PUT", "https://example.com/wp-json/wc/v3/orders/727")
    assert request.json == {"status": "completed", "meta_data": [
        {"key": "flexhub_carrier", "value": "UPS"}, {"key": "flexhub_tracking_number", "value": "1Z999AA10123456784"}]}
    note = adapter.shipment_note_request(CREDENTIALS, notice)
    assert (note.method, note.url) == ("POST", "https://example.com/wp-json/wc/v3/orders/727/notes")
    assert note.json == {"note": "Shipped with UPS, tracking number 1Z999AA10123456784.", "customer_note": True}
    assert note.headers["Authorization"] == BASIC


@pytest.mark.parametrize(("spoil", "path"), [
    (lambda order: order["line_items"][1].pop("subtotal"), "line_items[1].subtotal"),
    (lambda order: order["line_items"][0].update(quantity="two"), "line_items[0].quantity"),
    (lambda order: order["line_items"][1].update(total="1,5"), "line_items[1].total"),
    (lambda order: order.update(shipping_total="x"), "shipping_total"),
    (lambda order: order.pop("currency"), "currency"),
])
def test_an_unreadable_order_names_the_field_it_stopped_at(sample_json, spoil, path):
    order = sample_json(ORDER)
    spoil(order)

    with pytest.raises(Exception) as raised:
        adapter.parse_webhook(Headers({}), json.dumps(order).encode())

    assert field_path(raised.value) == path

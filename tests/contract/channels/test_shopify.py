"""Shopify against the REST reference's order and inventory examples and our own signature vector.

The fulfillment-orders body in the shipment tests is built here from the documented fields of
GET /admin/api/<v>/orders/<id>/fulfillment_orders.json: no official sample was saved (SOURCES.md).
"""

import json
from datetime import UTC, datetime

import pytest
from httpx2 import Headers

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.mapping import to_order_in
from flexhub.channels.platforms.shopify import ShipmentUnmatched, ShopifyAdapter, order_status
from flexhub.integrations.signing import hmac_sha256_base64
from flexhub.testing import adapter_contract

ORDER = "shopify_rest_get_order_450789469_response.json"
CREDENTIALS = {"shop_domain": "jsmith.myshopify.com", "access_token": "shpat_test", "webhook_secret": "hush"}
GRAPHQL = "https://jsmith.myshopify.com/admin/api/2026-01/graphql.json"
adapter = ShopifyAdapter()


def test_meets_the_adapter_contract():
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS, listings=600)


def test_webhook_signature_vector(signature_vectors):
    vector = signature_vectors["shopify_webhook"]
    headers = Headers({"X-Shopify-Hmac-Sha256": vector["X-Shopify-Hmac-Sha256"], "X-Shopify-Topic": "orders/delete"})
    body, credentials = vector["raw_body"].encode(), {**CREDENTIALS, "webhook_secret": vector["secret"]}
    adapter_contract.check_webhook_signature(adapter, credentials, headers, body)
    # The vector's body names an order without carrying it, as orders/delete does.
    assert adapter.parse_webhook(headers, body) == [OrderReference("820982911946154508")]


def test_the_reference_order(sample_json):
    order = adapter.parse_order(sample_json(ORDER))
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status) == ("450789469", "paid",
                                                                         "partially_refunded/unfulfilled")
    assert order.currency == "USD" and order.shipping_fee == 0 and order.order_discount == 0
    assert [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in order.lines] == [
        ("IPOD2008GREEN", 1, 19900, 334), ("IPOD2008RED", 1, 19900, 333), ("IPOD2008BLACK", 1, 19900, 333)]
    first = order.lines[0]
    assert (first.external_item_id, first.external_line_id, first.title) == ("39072856", "466157049",
                                                                             "IPod Nano - 8gb - green")
    assert order.placed_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC) == order.updated_at
    assert order.shipping_address == {"country": "US", "province": "Kentucky", "city": "Louisville", "district": None,
                                      "line1": "Chestnut Street 92", "line2": None, "postal_code": "40202"}
    assert order.buyer == {"name": "Bob Norman", "phone": "+1(502)-459-2181", "email": "bob.norman@mail.example.com",
                           "external_id": "207119551"}


@pytest.mark.parametrize(("country", "address1", "district", "line1"), [
    ("CN", "西湖区文三路 90 号", "西湖区", "文三路 90 号"),
    ("CN", "浦东新区 世纪大道 100 号", "浦东新区", "世纪大道 100 号"),
    ("CN", "文三路 90 号", None, "文三路 90 号"),  # no district written: none made up
    ("US", "西湖区文三路 90 号", None, "西湖区文三路 90 号"),  # only a Chinese address is read so
])
def test_a_chinese_buyers_district_is_read_from_the_head_of_address1(sample_json, country, address1, district,
                                                                      line1):
    document = sample_json(ORDER)
    document["order"]["shipping_address"] |= {"country_code": country, "address1": address1}
    order = adapter.parse_order(document)
    assert (order.shipping_address["district"], order.shipping_address["line1"]) == (district, line1)


def test_an_orders_create_webhook_is_the_order_itself(sample_json):
    body = json.dumps(sample_json(ORDER)["order"]).encode()
    headers = Headers({"X-Shopify-Hmac-Sha256": hmac_sha256_base64("hush", body), "X-Shopify-Topic": "orders/create"})
    adapter.verify_webhook(CREDENTIALS, headers, body)
    [order] = adapter.parse_webhook(headers, body)
    assert order == adapter.parse_order(sample_json(ORDER))


def test_a_refund_webhook_names_its_order():
    body = json.dumps({"id": 509562969, "order_id": 450789469, "restock": True}).encode()
    assert adapter.parse_webhook(Headers({"X-Shopify-Topic": "refunds/create"}), body) == [OrderReference("450789469")]


@pytest.mark.parametrize(("changes", "status", "platform_status"), [
    ({"financial_status": "pending"}, "unpaid", "pending/unfulfilled"),
    ({"financial_status": "authorized"}, "paid", "authorized/unfulfilled"),
    ({"financial_status": "paid", "fulfillment_status": "partial"}, "paid", "paid/partial"),
    ({"financial_status": "paid", "fulfillment_status": "fulfilled"}, "shipped", "paid/fulfilled"),
    ({"financial_status": "refunded"}, "refunded", "refunded/unfulfilled"),
    ({"financial_status": "voided"}, "cancelled", "voided/unfulfilled"),
    ({"cancelled_at": "2008-01-11T09:00:00-05:00"}, "cancelled", "cancelled:partially_refunded/unfulfilled"),
    ({"cancelled_at": "2008-01-11T09:00:00-05:00", "financial_status": "refunded"}, "cancelled",
     "cancelled:refunded/unfulfilled"),
])
def test_status_mapping(sample_json, changes, status, platform_status):
    assert order_status({**sample_json(ORDER)["order"], **changes}) == (status, platform_status)


@pytest.mark.parametrize(("changes", "status", "payment_state", "cancelled"), [
    ({}, "paid", "partially_refunded", False),  # the reference order as it is
    ({"fulfillment_status": "fulfilled"}, "shipped", "partially_refunded", False),
    ({"financial_status": "refunded"}, "refunded", "refunded", False),
    # Shopify's cancel with a refund: cancelled, so its units go back, and the refund stays known.
    ({"financial_status": "refunded", "cancelled_at": "2008-01-11T09:00:00-05:00"}, "cancelled", "refunded", True),
    ({"financial_status": "paid"}, "paid", "paid", False),
    ({"financial_status": "pending"}, "unpaid", "pending", False),
    # An authorization released without being captured: cancelled, and never paid (not the status's "paid").
    ({"financial_status": "voided"}, "cancelled", "voided", True),
    ({"financial_status": "voided", "cancelled_at": "2008-01-11T09:00:00-05:00"}, "cancelled", "voided", True),
    ({"financial_status": "pending", "cancelled_at": "2008-01-11T09:00:00-05:00"}, "cancelled", "pending", True),
    ({"financial_status": "expired"}, "unpaid", "pending", False),
])
def test_the_finer_payment_state_reaches_the_import(sample_json, changes, status, payment_state, cancelled):
    order = adapter.parse_order({"order": {**sample_json(ORDER)["order"], **changes}})
    skus = {line.external_sku: line.external_sku for line in order.lines}
    imported = to_order_in("shopify-us", order, skus)
    assert (order.status, imported.payment_state, imported.cancelled) == (status, payment_state, cancelled)


def test_delivered_when_every_successful_fulfillment_was_delivered(sample_json):
    order = sample_json(ORDER)["order"]
    delivered = [{**order["fulfillments"][0], "status": "success", "shipment_status": "delivered"}]
    fulfilled = {**order, "financial_status": "paid", "fulfillment_status": "fulfilled", "fulfillments": delivered}
    assert order_status(fulfilled) == ("delivered", "paid/fulfilled")


def test_orders_are_polled_by_update_time_then_by_page_info():
    since, until = datetime(2026, 3, 1, 8, 0, tzinfo=UTC), datetime(2026, 3, 1, 8, 5, 0, 500, tzinfo=UTC)
    first = adapter.orders_request({**CREDENTIALS, "base_url": "http://127.0.0.1:8111/"}, since, until, None)
    assert (first.method, first.url) == ("GET", "http://127.0.0.1:8111/admin/api/2026-01/orders.json")
    assert first.params == {"limit": "250", "status": "any", "updated_at_min": "2026-03-01T08:00:00Z",
                            "updated_at_max": "2026-03-01T08:05:01Z"}
    assert first.headers["X-Shopify-Access-Token"] == "shpat_test"
    # Shopify refuses the filters beside page_info: the cursor carries them.
    later = adapter.orders_request(CREDENTIALS, since, until, "eyJsYXN0X2lkIjo0NTA3ODk0Njl9")
    assert later.url == "https://jsmith.myshopify.com/admin/api/2026-01/orders.json"
    assert later.params == {"limit": "250", "page_info": "eyJsYXN0X2lkIjo0NTA3ODk0Njl9"}


def test_the_next_page_comes_from_the_link_header(sample_json):
    link = ('<https://jsmith.myshopify.com/admin/api/2026-01/orders.json?limit=250&page_info=abc>; rel="previous", '
            '<https://jsmith.myshopify.com/admin/api/2026-01/orders.json?limit=250&page_info=def>; rel="next"')
    payload = {"orders": [sample_json(ORDER)["order"]]}
    page = adapter.parse_orders_page(payload, Headers({"Link": link}))
    assert page.next_cursor == "def" and page.orders[0]["id"] == 450789469
    assert adapter.parse_orders_page(payload, Headers({})).next_cursor is None


def test_stock_is_set_with_compare_and_set_and_an_idempotency_key(sample_json):
    """The push the REST inventory_levels/set example makes (item 808950810 at 655441491 to 42), as GraphQL."""
    rest = sample_json("shopify_rest_inventory_levels_set.json")["request"]
    push = StockPush("IPOD2008GREEN", rest["available"], external_item_id=str(rest["inventory_item_id"]),
                     location_id=str(rest["location_id"]), previous_quantity=40, idempotency_key="push-7")
    [request] = adapter.stock_requests(CREDENTIALS, [push])
    assert (request.method, request.url) == ("POST", GRAPHQL)
    assert request.headers["X-Shopify-Access-Token"] == "shpat_test"
    assert 'inventorySetQuantities(input: $input) @idempotent(key: "push-7")' in request.json["query"]
    assert request.json["variables"] == {"input": {
        "name": "available", "reason": "correction", "referenceDocumentUri": "gid://flexhub/StockPush/push-7",
        "quantities": [{"inventoryItemId": "gid://shopify/InventoryItem/808950810",
                        "locationId": "gid://shopify/Location/655441491", "quantity": 42, "changeFromQuantity": 40}]}}


def test_stock_batches_250_and_keys_each_batch_from_its_pushes():
    pushes = [StockPush(f"S{n}", n, external_item_id=str(n), previous_quantity=None, idempotency_key=f"k{n}")
              for n in range(300)]
    first, second = adapter.stock_requests({**CREDENTIALS, "location_id": "655441491"}, pushes)
    assert [len(r.json["variables"]["input"]["quantities"]) for r in (first, second)] == [250, 50]
    assert first.json["variables"]["input"]["quantities"][0] == {
        "inventoryItemId": "gid://shopify/InventoryItem/0", "locationId": "gid://shopify/Location/655441491",
        "quantity": 0, "changeFromQuantity": None}
    again = adapter.stock_requests({**CREDENTIALS, "location_id": "655441491"}, pushes)
    assert [r.json for r in again] == [first.json, second.json]  # a retried batch keeps its key
    assert first.json["query"] != second.json["query"]


def fulfillment_orders() -> dict:
    return {"fulfillment_orders": [
        {"id": 1046000778, "order_id": 450789469, "assigned_location_id": 24826418, "status": "open",
         "line_items": [{"id": 1025578633, "fulfillment_order_id": 1046000778, "line_item_id": 518995019,
                         "inventory_item_id": 49148385, "quantity": 1, "fulfillable_quantity": 1,
                         "variant_id": 49148385}]},
        {"id": 1046000779, "order_id": 450789469, "assigned_location_id": 24826418, "status": "closed",
         "line_items": [{"id": 1025578634, "fulfillment_order_id": 1046000779, "line_item_id": 466157049,
                         "quantity": 1, "fulfillable_quantity": 0}]},
    ]}


def test_a_shipment_is_a_fulfillment_of_the_open_fulfillment_orders():
    lookup = adapter.shipment_lookup_request(CREDENTIALS, ShipmentNotice("450789469", "UPS", "1Z9"))
    assert (lookup.method, lookup.url) == (
        "GET", "https://jsmith.myshopify.com/admin/api/2026-01/orders/450789469/fulfillment_orders.json")
    notice = ShipmentNotice("450789469", "UPS", "1Z999AA10123456784", lines=(("518995019", 1),))
    request = adapter.shipment_request(CREDENTIALS, notice, fulfillment_orders())
    assert (request.method, request.url) == ("POST", GRAPHQL)
    assert "fulfillmentCreate(fulfillment: $fulfillment)" in request.json["query"]
    assert request.json["variables"] == {"fulfillment": {
        "lineItemsByFulfillmentOrder": [{
            "fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1046000778",
            "fulfillmentOrderLineItems": [{"id": "gid://shopify/FulfillmentOrderLineItem/1025578633", "quantity": 1}]}],
        "notifyCustomer": True, "trackingInfo": {"company": "UPS", "number": "1Z999AA10123456784"}}}
    everything = adapter.shipment_request(CREDENTIALS, ShipmentNotice("450789469", "UPS", "1Z9"), fulfillment_orders())
    assert everything.json["variables"]["fulfillment"]["lineItemsByFulfillmentOrder"] == [
        {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1046000778"}]


def test_a_shipment_beyond_what_is_open_is_refused():
    with pytest.raises(ShipmentUnmatched):
        adapter.shipment_request(CREDENTIALS, ShipmentNotice("450789469", "UPS", "1Z9", lines=(("466157049", 1),)),
                                 fulfillment_orders())
    with pytest.raises(ShipmentUnmatched):
        adapter.shipment_request(CREDENTIALS, ShipmentNotice("450789469", "UPS", "1Z9"))


# A refunds/create body with the fields of Shopify's Refund resource (REST reference), one line returned.
REFUND = {"id": 929361464, "order_id": 450789469, "created_at": "2026-11-30T10:04:00-05:00",
          "note": "wrong size", "restock": True, "processed_at": "2026-11-30T10:04:00-05:00",
          "refund_line_items": [
              {"id": 104689539, "line_item_id": 703073504, "quantity": 1, "restock_type": "return",
               "location_id": 487838322, "subtotal": 199.0,
               "line_item": {"id": 703073504, "variant_id": 457924702, "sku": "IPOD2008BLACK", "quantity": 1}},
              {"id": 104689540, "line_item_id": 466157049, "quantity": 1, "restock_type": "no_restock",
               "line_item": {"id": 466157049, "variant_id": 39072856, "sku": "IPOD2008GREEN", "quantity": 1}}],
          "transactions": [{"id": 179259969, "kind": "refund", "amount": "199.00"}]}


def test_a_refund_with_goods_coming_back_is_a_return_request():
    body = json.dumps(REFUND).encode()
    [request] = adapter.parse_returns(Headers({"X-Shopify-Topic": "refunds/create"}), body)
    assert (request.external_id, request.order_external_id, request.lines, request.reason, request.requested_at) == (
        "929361464", "450789469", (("IPOD2008BLACK", 1),), "wrong size", datetime(2026, 11, 30, 15, 4, tzinfo=UTC))
    assert adapter.parse_webhook(Headers({"X-Shopify-Topic": "refunds/create"}), body) == [
        OrderReference("450789469")]  # the order's own change is fetched as before


def test_a_refund_of_money_only_or_another_topic_is_no_return_request():
    money_only = {**REFUND, "refund_line_items": [{**REFUND["refund_line_items"][1]}]}
    assert adapter.parse_returns(Headers({"X-Shopify-Topic": "refunds/create"}), json.dumps(money_only).encode()) == []
    assert adapter.parse_returns(Headers({"X-Shopify-Topic": "orders/updated"}), json.dumps(REFUND).encode()) == []


def test_the_reference_orders_refund_is_a_return_request(sample_json):
    sample = sample_json(ORDER)
    [refund] = sample.get("order", sample)["refunds"]
    headers = Headers({"X-Shopify-Topic": "refunds/create"})
    [request] = adapter.parse_returns(headers, json.dumps(refund).encode())
    assert (request.external_id, request.order_external_id, request.lines, request.reason) == (
        "509562969", "450789469", (("IPOD2008BLACK", 1), ("IPOD2008GREEN", 1)), "it broke during shipping")

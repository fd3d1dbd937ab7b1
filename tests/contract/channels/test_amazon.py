"""Amazon SP-API against Amazon's own examples (amzn/selling-partner-api-models, see SOURCES.md)."""

import gzip
import json
from datetime import UTC, datetime

import pytest

from flexhub.channels.adapter import FeedProgress, ListingRef, ListingResult, OrderReference, ShipmentNotice, StockPush
from flexhub.channels.platforms.amazon import AmazonAdapter
from flexhub.channels.platforms.amazon.feeds import FEED_LIMIT, feed_document
from flexhub.integrations.request import ApiRequest
from flexhub.integrations.signing import SignatureInvalid, hmac_sha256_hex
from flexhub.kernel.errors import ValidationFailed
from flexhub.testing import adapter_contract
from flexhub.testing.clocks import movable_clock

CREDENTIALS = {"refresh_token": "Atzr|fake", "client_id": "amzn1.application-oa2-client.fake",
               "client_secret": "fake-secret", "seller_id": "A3TH9S8BH6GOGM", "marketplace_id": "ATVPDKIKX0DER",
               "access_token": "Atza|fake", "notification_secret": "relay-hush"}
SANDBOX = {**CREDENTIALS, "base_url": "http://127.0.0.1:9000/amazon"}
HOST = "https://sellingpartnerapi-na.amazon.com"
adapter = AmazonAdapter()


def test_meets_the_adapter_contract():
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, CREDENTIALS)
    assert adapter.credential_fields == ("refresh_token", "client_id", "client_secret", "seller_id", "marketplace_id")
    assert (adapter.rate_limit.per_second, adapter.rate_limit.burst, adapter.rate_limit.stock_batch) == (5, 5, 1)


def test_search_orders_example_carries_its_items(sample_json):
    page = adapter.parse_orders_page(sample_json("amazon_sp_orders2026_searchOrders_example.json"), {})
    orders = [adapter.parse_order(payload) for payload in page.orders]
    for order in orders:
        adapter_contract.check_order(order)
    [order] = orders
    assert (order.external_id, order.currency, order.platform_status) == ("123-4567890-1234567", "USD", "SHIPPED")
    assert order.status == "delivered"  # SHIPPED, and its one package says DELIVERED
    echo, fire_tv = order.lines
    assert (echo.external_sku, echo.external_item_id, echo.external_line_id) == (
        "ECHO-DOT-4-CHARCOAL", "B08N5WRWNW", "12345678901234")
    assert (echo.quantity, echo.unit_price, echo.discount) == (2, 4999, 0)
    assert (fire_tv.external_sku, fire_tv.quantity, fire_tv.unit_price) == ("FIRE-TV-4K-2021", 1, 4999)
    assert (order.shipping_fee, order.order_discount, order.presale) == (0, 0, False)
    assert order.shipping_address == {"country": "US", "province": "WA", "city": "Seattle", "district": "King County",
                                      "line1": "123 Main Street", "line2": "Suite 456", "postal_code": "98101"}
    assert order.buyer == {"name": "John Smith", "phone": "555-123-4567",
                           "email": "buyer-email@marketplace.amazon.com"}
    assert order.placed_at == datetime(2024, 12, 25, 10, 30, tzinfo=UTC)
    assert order.updated_at == datetime(2024, 12, 25, 14, 45, tzinfo=UTC)
    assert page.next_cursor == "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"


def test_get_order_example_in_transit_is_shipped(sample_json):
    order = adapter.parse_order(sample_json("amazon_sp_orders2026_getOrder_example.json"))
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.currency) == ("202-1234567-8901234", "shipped", "GBP")
    [line] = order.lines
    assert (line.external_sku, line.quantity, line.unit_price) == ("ECHO-DOT-4-UK-CHARCOAL-3PACK", 3, 2999)
    assert order.shipping_fee == 1000  # the order's PROCEEDS SHIPPING breakdown, 10.00 GBP
    assert order.shipping_address == {"country": "GB", "province": "England", "city": "Manchester",
                                      "district": "Greater Manchester", "line1": "123 High Street",
                                      "line2": "Unit 4B", "postal_code": "M1 2AB"}
    assert order.buyer["phone"] == "+44 161 123 4567"


def test_v0_sandbox_order_merged_with_its_items(sample_json):
    """The v0 sandbox answers for order 902-1845936-5435065: getOrders (TEST_CASE_200) and getOrderItems."""
    [first, second] = sample_json("amazon_sp_getOrders_sandbox_static.json")[0]["response"]["payload"]["Orders"]
    items = sample_json("amazon_sp_getOrderItems_sandbox_static.json")[0]["response"]["payload"]["OrderItems"]
    order = adapter.parse_order({"order": first, "items": items})
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "902-1845936-5435065", "paid", "Unshipped", "USD")
    [line] = order.lines
    assert (line.external_sku, line.external_item_id, line.external_line_id) == (
        "NABetaASINB00551Q3CS", "B00551Q3CS", "05015851154158")
    assert (line.quantity, line.unit_price, line.discount) == (1, 1000, 0)
    assert order.placed_at == datetime(1970, 1, 19, 3, 58, 30, tzinfo=UTC)
    assert order.shipping_address == {}  # the sandbox holds back the PII


def test_v0_example_order_with_items_and_address(sample_json):
    """Amazon's three v0 examples are separate orders; merged here only to read the shape end to end.

    Its items are priced in JPY (no minor unit): ItemPrice is the line total, so 17.95 → 18 yen for
    two units is 9 yen each.
    """
    order = adapter.parse_order({
        "order": sample_json("amazon_sp_getOrders_response_example.json")["payload"]["Orders"][0],
        "items": sample_json("amazon_sp_getOrderItems_response_example.json")["payload"]["OrderItems"],
        "address": sample_json("amazon_sp_getOrderAddress_example.json")["payload"],
    })
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "902-3159896-1390916", "unpaid", "Pending", "JPY")
    assert [(line.external_sku, line.quantity, line.unit_price, line.discount) for line in order.lines] == [
        ("CBA_OTF_1", 1, 26, 0), ("CBA_OTF_5", 2, 9, 0)]
    assert order.shipping_fee == 1  # ShippingPrice 1.26 JPY
    assert order.shipping_address == {"country": "US", "province": "MI", "city": "Canton", "line1": "1 cross st",
                                      "postal_code": "48817"}  # getOrderAddress wins over the order's copy
    assert order.buyer == {"name": "John Doe", "email": "user@example.com"}


def test_v0_line_total_that_does_not_divide_keeps_the_total_exact(sample_json):
    items = sample_json("amazon_sp_getOrderItems_sandbox_static.json")[0]["response"]["payload"]["OrderItems"]
    three = [{**items[0], "QuantityOrdered": 3, "PromotionDiscount": {"CurrencyCode": "USD", "Amount": "-1.00"}}]
    order = adapter.parse_order({"order": {"AmazonOrderId": "1", "OrderStatus": "Shipped", "PurchaseDate":
                                           "2024-01-01T00:00:00Z", "LastUpdateDate": "2024-01-01T00:00:00Z"},
                                 "items": three})
    [line] = order.lines
    assert (line.unit_price, line.discount) == (334, 102)  # 3 × 3.34 − 1.02 = 10.00 − 1.00
    assert line.unit_price * line.quantity - line.discount == 1000 - 100


def test_unknown_status_is_refused_not_guessed(sample_json):
    payload = sample_json("amazon_sp_orders2026_getOrder_example.json")
    payload["order"]["fulfillment"]["fulfillmentStatus"] = "TELEPORTED"
    with pytest.raises(ValidationFailed):
        adapter.parse_order(payload)


def test_orders_request_searches_a_settled_window_and_pages_by_token():
    since, until = datetime(2025, 6, 18, 12, 0, tzinfo=UTC), datetime(2025, 6, 18, 12, 5, tzinfo=UTC)
    first = adapter.orders_request(CREDENTIALS, since, until, None)
    assert (first.method, first.url) == ("GET", f"{HOST}/orders/2026-01-01/orders")
    assert first.headers["x-amz-access-token"] == "Atza|fake"
    assert first.params == {"marketplaceIds": "ATVPDKIKX0DER", "lastUpdatedAfter": "2025-06-18T11:58:00Z",
                            "lastUpdatedBefore": "2025-06-18T12:03:00Z", "maxResultsPerPage": "100",
                            "includedData": "BUYER,RECIPIENT,PROCEEDS,PROMOTION,CANCELLATION,FULFILLMENT,PACKAGES"}
    second = adapter.orders_request(CREDENTIALS, since, until, "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4")
    assert second.params == {**first.params, "paginationToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"}
    assert adapter.orders_request(SANDBOX, since, until, None).url == "http://127.0.0.1:9000/amazon/orders/2026-01-01/orders"
    assert adapter.parse_orders_page({"orders": []}, {}).next_cursor is None


def test_order_request_fetches_one_named_order():
    request = adapter.order_request(CREDENTIALS, "903-8868176-2219830")
    assert (request.method, request.url) == ("GET", f"{HOST}/orders/2026-01-01/orders/903-8868176-2219830")


def test_order_change_through_the_relay(samples):
    body = (samples / "amazon_sp_ORDER_CHANGE_notification_example.json").read_bytes()
    headers = {"x-flexhub-signature": "sha256=" + hmac_sha256_hex("relay-hush", body)}
    adapter_contract.check_webhook_signature(adapter, CREDENTIALS, headers, body)
    assert adapter.parse_webhook(headers, body) == [OrderReference(
        "903-8868176-2219830", datetime(2022, 11, 29, 19, 42, 4, 284000, tzinfo=UTC))]
    event = json.dumps({"detail-type": "ORDER_CHANGE", "detail": json.loads(body)}).encode()  # EventBridge
    assert [ref.external_id for ref in adapter.parse_webhook({}, event)] == ["903-8868176-2219830"]


def test_a_channel_without_a_relay_secret_takes_no_notifications(samples):
    body = (samples / "amazon_sp_ORDER_CHANGE_notification_example.json").read_bytes()
    headers = {"x-flexhub-signature": "sha256=" + hmac_sha256_hex("", body)}
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook({**CREDENTIALS, "notification_secret": ""}, headers, body)


def test_quantity_change_notification_is_a_figure_not_an_order(samples):
    body = (samples / "amazon_sp_LISTINGS_ITEM_MFN_QUANTITY_CHANGE_notification_example.json").read_bytes()
    assert adapter.listing_quantity(body) == ("NLS-SHOES-03", 99)
    assert adapter.parse_webhook({}, body) == []
    assert adapter.listing_quantity((samples / "amazon_sp_ORDER_CHANGE_notification_example.json").read_bytes()) is None


def test_stock_is_one_listings_patch_per_sku(sample_json):
    [request] = adapter.stock_requests(CREDENTIALS, [StockPush("TEE RED/M", 7)])
    assert (request.method, request.url) == ("PATCH", f"{HOST}/listings/2021-08-01/items/A3TH9S8BH6GOGM/TEE%20RED%2FM")
    assert request.params == {"marketplaceIds": "ATVPDKIKX0DER"}
    assert request.headers["content-type"] == "application/json"
    merge = sample_json("amazon_sp_json_listings_feed_example.json")["messages"][4]["patches"]  # Amazon's merge
    assert request.json == {"productType": "PRODUCT", "patches": [
        {**merge[0], "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7}]}]}
    assert len(adapter.stock_requests(CREDENTIALS, [StockPush(f"S{n}", n) for n in range(12)])) == 12


def test_stock_is_read_back_twenty_skus_a_search_and_a_sku_with_a_comma_alone():
    refs = [ListingRef(f"S{n}") for n in range(45)] + [ListingRef("TEE,RED")]
    reads = adapter.stock_read_requests(CREDENTIALS, refs)
    assert [len(read.listings) for read in reads] == [20, 20, 5, 1]
    search = reads[0].request
    assert (search.method, search.url) == ("GET", f"{HOST}/listings/2021-08-01/items/A3TH9S8BH6GOGM")
    assert search.params == {"marketplaceIds": "ATVPDKIKX0DER", "identifiersType": "SKU", "pageSize": "20",
                             "identifiers": ",".join(f"S{n}" for n in range(20)),
                             "includedData": "fulfillmentAvailability"}
    assert reads[3].request.url == f"{HOST}/listings/2021-08-01/items/A3TH9S8BH6GOGM/TEE%2CRED"
    answer = {"numberOfResults": 2, "items": [
        {"sku": "S0", "fulfillmentAvailability": [{"fulfillmentChannelCode": "AMAZON_NA"},
                                                  {"fulfillmentChannelCode": "DEFAULT", "quantity": 4}]},
        {"sku": "S1", "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": 0}]},
        {"sku": "NOT-ASKED", "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": 9}]}]}
    assert adapter.parse_stock(answer, reads[0].listings) == {"S0": 4, "S1": 0}  # S2…S19 unanswered: not read
    with pytest.raises(ValueError):
        adapter.parse_stock({"errors": [{"code": "InvalidInput", "message": "bad"}]}, reads[0].listings)


def test_listings_patch_answer_names_what_was_refused():
    assert adapter.patch_errors({"sku": "GM-ZDPI-9B4E", "status": "ACCEPTED",
                                 "submissionId": "f1dc2914-75dd-11ea-bc55-0242ac130003", "issues": []}) == []
    invalid = {"sku": "GM-ZDPI-9B4E", "status": "INVALID", "submissionId": "x",
               "issues": [{"code": "90220", "message": "'size' is required but not supplied.", "severity": "ERROR"}]}
    assert adapter.patch_errors(invalid) == ["90220: 'size' is required but not supplied."]


def test_listings_feed_in_three_steps(sample_json):
    pushes = [StockPush("My-SKU-D", 10), StockPush("My-SKU-E", 0)]
    document = feed_document("AXXXXXXXXXXXX", pushes)
    official = sample_json("amazon_sp_json_listings_feed_example.json")
    assert document["header"] == {"sellerId": "AXXXXXXXXXXXX", "version": "2.0", "issueLocale": "en_US"}
    assert document["messages"][0] == {**official["messages"][4], "messageId": 1, "sku": "My-SKU-D",
                                       "productType": "PRODUCT"}
    assert document["messages"][1]["patches"][0]["value"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 0}]
    step1 = adapter.feed_document_request(CREDENTIALS)
    assert (step1.method, step1.url, step1.json) == ("POST", f"{HOST}/feeds/2021-06-30/documents",
                                                     {"contentType": "application/json; charset=UTF-8"})
    reserved = {"feedDocumentId": "amzn1.tortuga.4.na.fake", "url": "https://tortuga-prod-na.s3.amazonaws.com/doc?sig=x"}
    step2 = adapter.feed_upload_request(CREDENTIALS, reserved, pushes)
    assert (step2.method, step2.url) == ("PUT", reserved["url"])
    assert json.loads(step2.content) == feed_document(CREDENTIALS["seller_id"], pushes)
    assert "x-amz-access-token" not in step2.headers
    step3 = adapter.create_feed_request(CREDENTIALS, reserved)
    assert (step3.method, step3.url, step3.json) == ("POST", f"{HOST}/feeds/2021-06-30/feeds", {
        "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": ["ATVPDKIKX0DER"],
        "inputFeedDocumentId": "amzn1.tortuga.4.na.fake"})
    assert adapter.feed_id({"feedId": "3485934"}) == "3485934"
    with pytest.raises(ValueError):
        feed_document("AXXXXXXXXXXXX", [StockPush("S", 1)] * (FEED_LIMIT + 1))


def test_a_feed_is_followed_to_its_report():
    status = adapter.feed_status_request(CREDENTIALS, "3485934")
    assert (status.method, status.url) == ("GET", f"{HOST}/feeds/2021-06-30/feeds/3485934")
    assert adapter.feed_progress({"feedId": "3485934", "processingStatus": "IN_PROGRESS"}) == FeedProgress(False)
    assert adapter.feed_progress({"processingStatus": "DONE", "resultFeedDocumentId": "0356cf79"}) == \
        FeedProgress(True, "0356cf79")
    assert adapter.feed_progress({"processingStatus": "FATAL"}).failure
    with pytest.raises(ValueError):
        adapter.feed_progress({"processingStatus": "LOST"})
    document = adapter.result_document_request(CREDENTIALS, "0356cf79")
    assert (document.method, document.url) == ("GET", f"{HOST}/feeds/2021-06-30/documents/0356cf79")
    answer = {"feedDocumentId": "0356cf79", "url": "https://tortuga-prod-na.s3.amazonaws.com/r?sig=y",
              "compressionAlgorithm": "GZIP"}
    download = adapter.result_download_request(answer)
    assert (download.method, download.url, download.headers) == ("GET", answer["url"], {})
    report = {"issues": [{"messageId": 2, "code": "4000001", "severity": "ERROR", "message": "unknown SKU"}]}
    read = adapter.feed_report(answer, gzip.compress(json.dumps(report).encode()))
    assert adapter.feed_results(read, ["A", "B"]) == {  # an issue naming only its message is charged to its SKU
        "A": ListingResult("A", True), "B": ListingResult("B", False, ("4000001: unknown SKU",))}


def test_feed_processing_report_per_sku(sample_json):
    report = sample_json("amazon_sp_json_listings_feed_processing_report_example.json")
    results = adapter.feed_results(report, ["My-SKU-A", "My-SKU-B"])
    assert results["My-SKU-A"] == ListingResult("My-SKU-A", accepted=True)
    assert results["My-SKU-B"].accepted is False
    assert results["My-SKU-B"].errors == ("90220: '[batteries_required]' is required but not supplied.",
                                          "90220: '[supplier_declared_dg_hz_regulation]' is required but not supplied.")
    assert results["My-SKU-C"].errors[0].startswith("99022: ")  # named by the report though not passed in
    assert sorted(results) == ["My-SKU-A", "My-SKU-B", "My-SKU-C"]


def test_shipment_confirmation_names_items_carrier_and_tracking():
    notice = ShipmentNotice("902-1106328-1059050", "FedEx", "112345678", lines=(("79039765272157", 1),))
    with movable_clock(datetime(2022, 2, 11, 1, 0, tzinfo=UTC)):
        request = adapter.shipment_request(CREDENTIALS, notice)
    assert (request.method, request.url) == (
        "POST", f"{HOST}/orders/v0/orders/902-1106328-1059050/shipmentConfirmation")
    package = request.json["packageDetail"]
    assert request.json["marketplaceId"] == "ATVPDKIKX0DER"
    assert package["packageReferenceId"].isdigit() and int(package["packageReferenceId"]) > 0
    assert {k: v for k, v in package.items() if k != "packageReferenceId"} == {
        "carrierCode": "FedEx", "trackingNumber": "112345678", "shipDate": "2022-02-11T01:00:00Z",
        "orderItems": [{"orderItemId": "79039765272157", "quantity": 1}]}


def test_shipment_carrier_amazon_does_not_list_goes_as_other():
    notice = ShipmentNotice("1", "sf_express", "SF1", lines=(("9", 2),),
                            shipped_at=datetime(2025, 6, 18, 12, 0, tzinfo=UTC))
    package = adapter.shipment_request(CREDENTIALS, notice).json["packageDetail"]
    assert (package["carrierCode"], package["carrierName"], package["shipDate"]) == (
        "Other", "sf_express", "2025-06-18T12:00:00Z")
    second_parcel = adapter.shipment_request(CREDENTIALS, ShipmentNotice("1", "ups", "1Z2", lines=(("9", 1),)))
    assert second_parcel.json["packageDetail"]["packageReferenceId"] != package["packageReferenceId"]
    with pytest.raises(ValidationFailed):
        adapter.shipment_request(CREDENTIALS, ShipmentNotice("1", "ups", "1Z2"))


def test_access_token_from_the_refresh_token():
    request = adapter.access_token_request(CREDENTIALS)
    assert isinstance(request, ApiRequest)
    assert (request.method, request.url) == ("POST", "https://api.amazon.com/auth/o2/token")
    assert request.content == (b"grant_type=refresh_token&refresh_token=Atzr%7Cfake"
                               b"&client_id=amzn1.application-oa2-client.fake&client_secret=fake-secret")

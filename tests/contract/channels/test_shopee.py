"""Shopee v2 against Shopee's published samples (get_order_detail, update_stock) and our signature vectors."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from flexhub.channels.adapter import OrderReference, ShipmentNotice, StockPush
from flexhub.channels.errors import UnreadablePayload
from flexhub.channels.platforms.shopee import ShopeeAdapter, partner_sign
from flexhub.integrations.signing import SignatureInvalid
from flexhub.testing import adapter_contract
from flexhub.testing.clocks import movable_clock

DETAIL_SAMPLE = "shopee_v2_order_get_order_detail_response_example.REPAIRED.json"
SIGNED_AT = datetime.fromtimestamp(1655714431, UTC)  # the vectors' timestamp


@pytest.fixture
def credentials(signature_vectors):
    vector = signature_vectors["shopee_api_shop_level"]
    return {"partner_id": str(vector["partner_id"]), "partner_key": vector["partner_key"],
            "shop_id": str(vector["shop_id"]), "access_token": vector["access_token"],
            "push_callback_url": signature_vectors["shopee_push"]["callback_url"]}


@pytest.fixture
def sample_order(sample_json):
    [order] = ShopeeAdapter().parse_details(sample_json(DETAIL_SAMPLE))
    return order


def test_meets_the_adapter_contract(credentials):
    adapter = ShopeeAdapter()
    adapter_contract.check_protocol(adapter)
    adapter_contract.check_stock_requests(adapter, credentials)
    assert adapter.credential_fields == ("partner_id", "partner_key", "shop_id", "access_token")


def test_the_repaired_sample_is_the_published_one_with_its_two_fixes(samples, sample_json):
    published = (samples / "shopee_v2_order_get_order_detail_response_example.txt").read_text(encoding="utf-8")
    lines = [line for line in published.splitlines() if not line.startswith("#")]
    assert lines[0] == "{" and lines[1] == "{"  # the stray leading brace
    text = "\n".join(lines[1:]).replace('"logistics_channel_id": 18080\n', '"logistics_channel_id": 18080,\n')
    assert json.loads(text) == sample_json(DETAIL_SAMPLE)


def test_parses_the_published_order(sample_order):
    order = ShopeeAdapter().parse_order(sample_order)
    adapter_contract.check_order(order)
    assert (order.external_id, order.status, order.platform_status, order.currency) == (
        "2404098R48U37H", "delivered", "COMPLETED", "VND")
    [line] = order.lines
    assert (line.external_sku, line.external_item_id, line.external_line_id) == (
        "QAZ-SADOER-05", "23620853561:221404189791", "23620853561:221404189791")
    # VND has no minor unit: 300000 listed, 48000 after the flash sale, 32119 paid in all.
    assert (line.quantity, line.unit_price, line.discount) == (1, 300000, 252000)
    assert (order.order_discount, order.shipping_fee) == (48000 - 32119, 0)
    assert order.placed_at == datetime(2024, 4, 8, 18, 39, 51, tzinfo=UTC)
    assert order.updated_at == datetime.fromtimestamp(1713139948, UTC)
    assert order.buyer == {"name": "P******n", "phone": "******64", "external_id": "1170319091",
                           "username": "xt4fdsf96j"}
    assert order.shipping_address == {"country": "VN", "province": "Bạc Liêu", "city": "Huyện Phước Long",
                                      "district": "Xã Phong Thạnh Tây B", "line1": "Ấp******"}


def test_amounts_follow_the_shop_currency(sample_order):
    rupiah = {**sample_order, "currency": "IDR", "region": "ID", "total_amount": 45000.0}
    order = ShopeeAdapter().parse_order(rupiah)
    assert (order.lines[0].unit_price, order.order_discount) == (300000, 3000)
    ringgit = {**sample_order, "currency": "MYR", "total_amount": 12.5,
               "item_list": [{**sample_order["item_list"][0], "model_original_price": 19.9,
                              "model_discounted_price": 9.95, "model_quantity_purchased": 2, "model_sku": ""}]}
    order = ShopeeAdapter().parse_order(ringgit)
    [line] = order.lines
    assert (line.unit_price, line.discount, order.order_discount, order.shipping_fee) == (1990, 1990, 740, 0)
    assert line.external_sku == "23620853561:221404189791"  # no model_sku or item_sku: the platform id


def test_a_bundle_deal_line_keeps_its_price_and_the_order_carries_the_discount(sample_order):
    bundled = {**sample_order, "item_list": [{**sample_order["item_list"][0], "model_discounted_price": 0}]}
    order = ShopeeAdapter().parse_order(bundled)
    assert (order.lines[0].discount, order.order_discount) == (0, 300000 - 32119)


def test_a_payment_above_the_items_is_shipping(sample_order):
    order = ShopeeAdapter().parse_order({**sample_order, "total_amount": 53000})
    assert (order.shipping_fee, order.order_discount) == (5000, 0)


def test_every_status_maps_and_an_unknown_one_is_refused(sample_order):
    adapter = ShopeeAdapter()
    expected = {"UNPAID": "unpaid", "READY_TO_SHIP": "paid", "PROCESSED": "paid", "RETRY_SHIP": "paid",
                "IN_CANCEL": "paid", "SHIPPED": "shipped", "TO_CONFIRM_RECEIVE": "delivered",
                "COMPLETED": "delivered", "TO_RETURN": "refunded", "CANCELLED": "cancelled"}
    for platform_status, status in expected.items():
        assert adapter.parse_order({**sample_order, "order_status": platform_status}).status == status
    with pytest.raises(UnreadablePayload):
        adapter.parse_order({**sample_order, "order_status": "LOST_IN_SPACE"})


def test_signs_shop_and_public_calls_as_the_vectors(credentials, signature_vectors):
    shop, public = signature_vectors["shopee_api_shop_level"], signature_vectors["shopee_api_public"]
    assert partner_sign(credentials, shop["path"], shop["timestamp"]) == shop["sign"]
    assert partner_sign(credentials, public["path"], public["timestamp"], shop_level=False) == public["sign"]


def test_detail_requests_are_signed_and_batched_by_fifty(credentials, signature_vectors):
    with movable_clock(SIGNED_AT):
        requests = ShopeeAdapter().detail_requests(credentials, [f"SN{n}" for n in range(51)])
    first, second = requests
    assert (first.method, first.url) == ("GET", "https://partner.shopeemobile.com/api/v2/order/get_order_detail")
    assert first.params["sign"] == signature_vectors["shopee_api_shop_level"]["sign"]
    assert {key: first.params[key] for key in ("partner_id", "timestamp", "access_token", "shop_id")} == {
        "partner_id": "2001887", "timestamp": "1655714431", "access_token": "fake_access_token",
        "shop_id": "14701711"}
    assert first.params["order_sn_list"].split(",") == [f"SN{n}" for n in range(50)]
    assert "item_list" in first.params["response_optional_fields"].split(",")
    assert second.params["order_sn_list"] == "SN50"


def test_lists_orders_by_update_time_then_follows_the_cursor(credentials):
    since = datetime(2024, 4, 1, tzinfo=UTC)
    with movable_clock(SIGNED_AT):
        request = ShopeeAdapter().orders_request({**credentials, "base_url": "http://localhost:9000/"},
                                                 since, since + timedelta(hours=1), "cursor-2")
    assert (request.method, request.url) == ("GET", "http://localhost:9000/api/v2/order/get_order_list")
    assert {key: request.params[key] for key in ("time_range_field", "time_from", "time_to", "page_size",
                                                 "cursor")} == {
        "time_range_field": "update_time", "time_from": "1711929600", "time_to": "1711933200",
        "page_size": "100", "cursor": "cursor-2"}
    with pytest.raises(ValueError):
        ShopeeAdapter().orders_request(credentials, since, since + timedelta(days=16), None)


def test_a_page_lists_references_and_the_next_cursor():
    payload = {"error": "", "message": "", "response": {"more": True, "next_cursor": "20", "order_list": [
        {"order_sn": "2404098R48U37H", "order_status": "COMPLETED"}]}}
    page = ShopeeAdapter().parse_orders_page(payload, {})
    assert page.orders == ({"external_id": "2404098R48U37H", "platform_status": "COMPLETED"},)
    assert page.next_cursor == "20"
    last = ShopeeAdapter().parse_orders_page({"error": "", "response": {"more": False, "next_cursor": ""}}, {})
    assert (last.orders, last.next_cursor) == ((), None)
    with pytest.raises(UnreadablePayload):
        ShopeeAdapter().parse_orders_page({"error": "error_auth", "message": "Invalid access_token."}, {})


def test_push_is_verified_and_names_the_order(credentials, signature_vectors):
    vector = signature_vectors["shopee_push"]
    body = vector["raw_body"].encode()
    headers = {"Authorization": vector["Authorization"]}
    adapter = ShopeeAdapter()
    adapter_contract.check_webhook_signature(adapter, credentials, headers, body)
    assert adapter.parse_webhook(headers, body) == [
        OrderReference("220810RBD2A1XX", datetime.fromtimestamp(1660123127, UTC))]
    other = json.dumps({"code": 12, "shop_id": 1, "timestamp": 1, "data": {}}).encode()
    assert adapter.parse_webhook(headers, other) == []
    without_url = {key: value for key, value in credentials.items() if key != "push_callback_url"}
    with pytest.raises(SignatureInvalid):
        adapter.verify_webhook(without_url, headers, body)


def test_stock_request_is_the_published_shape(credentials, sample_json):
    published = sample_json("shopee_v2_product_update_stock_example.json")
    with movable_clock(SIGNED_AT):
        [request] = ShopeeAdapter().stock_requests(credentials, [StockPush("SKU-1", 0, "1000:0", location_id="-")])
    assert (request.method, request.url) == ("POST", "https://partner.shopeemobile.com/api/v2/product/update_stock")
    assert json.loads(request.content) == published["request"]
    assert request.params["sign"] == partner_sign(credentials, "/api/v2/product/update_stock", 1655714431)


def test_stock_is_one_item_a_call_with_at_most_fifty_models(credentials):
    pushes = [StockPush(f"SKU-{n}", n, f"7:{n}") for n in range(60)] + [StockPush("PLAIN", 3, "8")]
    requests = ShopeeAdapter().stock_requests(credentials, pushes)
    bodies = [json.loads(request.content) for request in requests]
    assert [(body["item_id"], len(body["stock_list"])) for body in bodies] == [(7, 50), (7, 10), (8, 1)]
    assert bodies[2]["stock_list"] == [{"model_id": 0, "seller_stock": [{"stock": 3}]}]
    with pytest.raises(ValueError):
        ShopeeAdapter().stock_requests(credentials, [StockPush("NO-LISTING", 1)])


def test_ships_a_non_integrated_order_with_its_tracking_number(credentials):
    request = ShopeeAdapter().shipment_request(credentials, ShipmentNotice("2404098R48U37H", "own", "TRK-1"))
    assert request.url.endswith("/api/v2/logistics/ship_order")
    assert json.loads(request.content) == {"order_sn": "2404098R48U37H", "non_integrated": {"tracking_no": "TRK-1"}}
    with pytest.raises(ValueError):
        ShopeeAdapter().shipment_request(credentials, ShipmentNotice("X", "own", "T", lines=(("a", 1),)))
    whole = ShopeeAdapter().shipment_request(credentials, ShipmentNotice("X", "own", "T", lines=(("a", 1),),
                                                                         whole=True))  # the whole order: it goes
    assert json.loads(whole.content) == {"order_sn": "X", "non_integrated": {"tracking_no": "T"}}


def test_refreshes_the_access_token_with_a_public_sign(credentials, signature_vectors):
    with movable_clock(SIGNED_AT):
        request = ShopeeAdapter().refresh_token_request(credentials, "fake_refresh")
    assert request.url.endswith("/api/v2/auth/access_token/get")
    assert set(request.params) == {"partner_id", "timestamp", "sign"}
    assert request.params["sign"] == partner_sign(credentials, "/api/v2/auth/access_token/get", 1655714431,
                                                  shop_level=False)
    assert json.loads(request.content) == {"refresh_token": "fake_refresh", "partner_id": 2001887,
                                           "shop_id": 14701711}

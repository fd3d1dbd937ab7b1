"""How a bad request is answered: malformed JSON, schema violations, oversized bodies, NUL characters,
out-of-range values. Each answer is `{"error": {"code", "message"}}` and changes nothing."""

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, LEVELS, ORDERS, SKUS, Api, api_over, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot


def test_malformed_json_is_400(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ORDERS, content=b'{"channel": "web", ', headers=shop.headers(
        **{"Content-Type": "application/json"}))

    assert_error(response, 400, "request.malformed_json")
    assert snapshot(shop.hub) == before


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_line_without_a_positive_quantity_is_422(shop: Api, quantity: int) -> None:
    before = snapshot(shop.hub)
    body = order_body(lines=[{"sku": "TEE-RED-M", "quantity": quantity, "unit_price": 9900}])

    response = shop.client.post(ORDERS, json=body, headers=shop.headers())

    error = assert_error(response, 422, "request.invalid")
    assert ["body", "lines", 0, "quantity"] in [problem["loc"] for problem in error["details"]]
    assert snapshot(shop.hub) == before


@pytest.mark.parametrize("missing", ["channel", "external_id", "currency", "buyer", "shipping_address", "lines"])
def test_an_order_missing_a_required_field_is_422(shop: Api, missing: str) -> None:
    before = snapshot(shop.hub)
    body = order_body()
    del body[missing]

    response = shop.client.post(ORDERS, json=body, headers=shop.headers())

    error = assert_error(response, 422, "request.invalid")
    assert ["body", missing] in [problem["loc"] for problem in error["details"]]
    assert snapshot(shop.hub) == before


def test_a_sku_missing_its_name_is_422(api: Api) -> None:
    response = api.client.post(SKUS, json={"code": "TEE-RED-M"}, headers=api.headers())

    assert_error(response, 422, "request.invalid")
    assert_error(api.client.get(f"{SKUS}/TEE-RED-M", headers=api.headers()), 404, "catalog.unknown_sku")


def test_an_unknown_field_is_422(api: Api) -> None:
    response = api.client.post(SKUS, json={"code": "TEE-RED-M", "name": "Tee", "colour": "red"}, headers=api.headers())

    assert_error(response, 422, "request.invalid")


def test_an_order_whose_amounts_do_not_fit_is_422(shop: Api) -> None:
    before = snapshot(shop.hub)
    lines = [{"sku": "TEE-RED-M", "quantity": 2, "unit_price": 2**31 - 1}]

    response = shop.client.post(ORDERS, json=order_body(lines=lines), headers=shop.headers())

    assert_error(response, 422, "request.invalid")
    assert snapshot(shop.hub) == before


def test_a_timestamp_out_of_range_in_utc_is_422(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ORDERS, json=order_body(placed_at="0001-01-01T00:00:00+01:00"), headers=shop.headers())

    assert_error(response, 422, "request.invalid")
    assert snapshot(shop.hub) == before


@pytest.mark.parametrize("where", ["name", "attributes"])
def test_text_with_a_nul_character_is_422(api: Api, where: str) -> None:
    body = {"code": "TEE-RED-M", "name": "Tee\x00" if where == "name" else "Tee",
            "attributes": {"colour": "red\x00"} if where == "attributes" else {}}
    before = snapshot(api.hub)

    response = api.client.post(SKUS, json=body, headers=api.headers())

    assert_error(response, 422, "request.invalid")
    assert snapshot(api.hub) == before


def test_an_order_with_a_nul_character_in_an_extra_buyer_field_is_422(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ORDERS, json=order_body(buyer={"name": "张三", "note": "\x00"}), headers=shop.headers())

    assert_error(response, 422, "request.invalid")
    assert snapshot(shop.hub) == before


def test_an_escaped_backslash_before_u0000_is_plain_text(api: Api) -> None:
    created = api.post(SKUS, {"code": "TEE-RED-M", "name": "C:\\u0000"})

    assert created["name"] == "C:\\u0000"


def test_a_nul_character_in_the_path_or_query_is_422(shop: Api) -> None:
    assert_error(shop.client.get(f"{SKUS}/TEE%00", headers=shop.headers()), 422, "request.invalid")
    assert_error(shop.client.get(LEVELS, params={"sku": "TEE\x00"}, headers=shop.headers()), 422, "request.invalid")
    response = shop.client.get(ORDERS, params={"channel": "web", "external_id": "A\x00"}, headers=shop.headers())
    assert_error(response, 422, "request.invalid")


def test_a_nul_character_in_a_form_is_422(api: Api) -> None:
    response = api.client.post("/login", data={"api_key": "fhk_a\x00b_c"}, follow_redirects=False)

    assert_error(response, 422, "request.invalid")


def test_a_body_over_the_limit_is_413_and_changes_nothing(database_url: str) -> None:
    with api_over(database_url, max_body_bytes=2_000) as api:
        api.stock_shop(stock=5)
        before = snapshot(api.hub)
        body = order_body(buyer={"name": "张三", "note": "x" * 3_000})

        response = api.client.post(ORDERS, json=body, headers=api.headers())

        assert_error(response, 413, "request.too_large")
        assert snapshot(api.hub) == before


def test_a_streamed_body_over_the_limit_is_413_too(database_url: str) -> None:
    """Without a Content-Length the limit is found while reading; it must still answer 413."""
    with api_over(database_url, max_body_bytes=2_000) as api:
        api.stock_shop(stock=5)
        before = snapshot(api.hub)
        head = b'{"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 1, "reason": "'
        chunks = [head, b"x" * 3_000, b'"}']

        response = api.client.post(ADJUSTMENTS, content=iter(chunks), headers=api.headers(
            **{"Content-Type": "application/json"}))

        assert_error(response, 413, "request.too_large")
        assert snapshot(api.hub) == before


def test_a_body_under_the_limit_passes(database_url: str) -> None:
    with api_over(database_url, max_body_bytes=2_000) as api:
        api.stock_shop(stock=5)

        response = api.client.post(ORDERS, json=order_body(), headers=api.headers())

        assert response.status_code == 201, response.text

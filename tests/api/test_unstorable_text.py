"""Text that cannot be stored (a lone UTF-16 surrogate) is refused with 422 before anything is written, on every
endpoint; NUL has its own test in test_errors.py."""

import json

import pytest

from flexhub.testing.api_client import ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

LONE_SURROGATE = "张\ud800三"


@pytest.mark.parametrize("body", [
    order_body(buyer={"name": LONE_SURROGATE, "phone": "13800000000"}),
    order_body(buyer={"name": "张三", "nickname": "\udfff"}),  # an extra field the buyer model keeps
    order_body(external_id="A-\ud83d"),
], ids=["buyer-name", "buyer-extra", "external-id"])
def test_unstorable_text_is_422_and_nothing_is_written(shop: Api, body: dict) -> None:
    before = snapshot(shop.hub)

    raw = json.dumps(body).encode()  # ASCII JSON: the surrogate travels as a `\\ud800` escape, as a client sends it
    response = shop.client.post(ORDERS, content=raw, headers={**shop.headers(), "content-type": "application/json"})

    assert_error(response, 422, "request.unstorable_text")
    assert snapshot(shop.hub) == before
    listed = shop.client.get(ORDERS, headers=shop.headers())
    assert listed.status_code == 200 and listed.json()["orders"] == []


def test_a_surrogate_pair_is_ordinary_text_and_is_stored(shop: Api) -> None:
    order = shop.post(ORDERS, order_body(buyer={"name": "张三 😀", "phone": "13800000000"}))

    assert order["status"] == "reserved"
    assert shop.get(ORDERS)["orders"][0]["id"] == order["id"]


def test_a_sku_named_with_a_lone_surrogate_is_422_and_nothing_is_written(shop: Api) -> None:
    before = snapshot(shop.hub)
    raw = b'{"code": "TEE-\\udc00", "name": "tee"}'

    response = shop.client.post(SKUS, content=raw, headers={**shop.headers(), "content-type": "application/json"})

    assert_error(response, 422, "request.unstorable_text")
    assert snapshot(shop.hub) == before


def test_raw_bytes_of_a_lone_surrogate_are_refused_and_nothing_is_written(shop: Api) -> None:
    """Not an escape but the surrogate's own bytes (ED A0 80), which Python's json decodes with surrogatepass."""
    before = snapshot(shop.hub)
    raw = json.dumps(order_body(buyer={"name": LONE_SURROGATE, "phone": "13800000000"}),
                     ensure_ascii=False).encode("utf-8", "surrogatepass")

    response = shop.client.post(ORDERS, content=raw, headers={**shop.headers(), "content-type": "application/json"})

    assert_error(response, 422, "request.unstorable_text")
    assert snapshot(shop.hub) == before

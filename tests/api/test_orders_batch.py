"""POST /api/v1/orders:batch: many orders in one request, one answer each, as the single import would give it."""

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

BATCH = f"{ORDERS}:batch"


def _two(external_id: str, **fields: object) -> dict:
    return order_body(external_id, lines=[{"sku": "TEE-RED-M", "quantity": 2, "unit_price": 9900}], **fields)


def test_each_order_gets_its_own_answer_in_the_order_sent(shop: Api) -> None:
    replayed = shop.post(ORDERS, _two("B-0"))  # 2 of the 5 units
    body = {"orders": [
        _two("B-1"),                                            # 2 more: 1 left
        _two("B-0"),                                            # a replay
        _two("B-2", on_shortage="reject"),                      # 2 wanted, 1 left: refused
        order_body("B-3", lines=[{"sku": "NO-SUCH", "quantity": 1, "unit_price": 100}]),
        _two("B-4"),                                            # waits for stock
    ]}

    response = shop.client.post(BATCH, json=body, headers=shop.headers())

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 200, 409, 404, 201]
    assert results[0]["order"]["status"] == "reserved" and results[0]["order"]["external_id"] == "B-1"
    assert results[1]["order"]["id"] == replayed["id"]
    assert results[2]["error"]["code"] == "inventory.insufficient_stock" and results[2]["order"] is None
    assert results[3]["error"]["code"] == "catalog.unknown_sku"
    assert results[4]["order"]["status"] == "awaiting_stock"
    assert shop.levels()[0]["reserved"] == 4
    # each answer is what reading the order back gives
    for result in (results[0], results[1], results[4]):
        assert shop.get(f"{ORDERS}/{result['order']['id']}") == result["order"]
    stored = shop.get(ORDERS, channel="web")["orders"]
    assert sorted(o["external_id"] for o in stored) == ["B-0", "B-1", "B-4"]


def test_a_viewer_may_not_import_and_nothing_changes(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(BATCH, json={"orders": [_two("V-1")]}, headers=shop.headers("viewer"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(shop.hub) == before


def test_more_than_500_or_an_invalid_order_refuses_the_whole_batch_with_nothing_written(shop: Api) -> None:
    before = snapshot(shop.hub)

    too_many = shop.client.post(BATCH, json={"orders": [_two(f"M-{n}") for n in range(501)]},
                                headers=shop.headers())
    one_bad = shop.client.post(BATCH, json={"orders": [_two("G-1"), {**_two("G-2"), "currency": 7}]},
                               headers=shop.headers())
    empty = shop.client.post(BATCH, json={"orders": []}, headers=shop.headers())
    forty_lines = [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 9900}] * 40
    heavy = shop.client.post(BATCH, json={"orders": [order_body(f"H-{n}", lines=forty_lines) for n in range(500)]},
                             headers=shop.headers())

    for response in (too_many, one_bad, empty):
        assert_error(response, 422, "request.invalid")
    assert [(d["loc"], d["type"]) for d in too_many.json()["error"]["details"]] == [(["body", "orders"], "too_long")]
    assert_error(heavy, 413, "request.too_large")  # past FLEXHUB_MAX_BODY_BYTES, however few the orders
    assert snapshot(shop.hub) == before


def test_a_viewer_reading_a_batchs_orders_sees_them_masked_as_the_single_import_shows_them(shop: Api) -> None:
    results = shop.client.post(BATCH, json={"orders": [_two("P-1")]}, headers=shop.headers("operator")).json()

    assert results["results"][0]["order"]["buyer"]["name"] == "张三"  # an operator sees the buyer
    masked = shop.get(f"{ORDERS}/{results['results'][0]['order']['id']}", role="viewer")
    assert masked["buyer"]["name"] != "张三"


def test_one_order_twice_in_a_batch_is_stored_once_and_a_newer_version_after_it_applies(shop: Api) -> None:
    body = {"orders": [
        _two("D-1", updated_at="2025-06-01T00:00:00Z"),
        _two("D-1", updated_at="2025-06-01T00:00:00Z"),                        # the same again: a replay
        _two("D-1", updated_at="2025-06-02T00:00:00Z", payment_state="paid"),  # then a newer version
    ]}

    results = shop.client.post(BATCH, json=body, headers=shop.headers()).json()["results"]

    assert [r["status"] for r in results] == [201, 200, 200]
    assert len({r["order"]["id"] for r in results}) == 1
    # each answer is the order as stored once the batch is written: its last version
    assert [r["order"]["payment_state"] for r in results] == ["paid"] * 3
    assert results[2]["order"] == shop.get(f"{ORDERS}/{results[0]['order']['id']}")
    assert shop.levels()[0]["reserved"] == 2
    assert [o["external_id"] for o in shop.get(ORDERS, channel="web")["orders"]] == ["D-1"]

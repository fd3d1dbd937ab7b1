"""/api/v1/orders: import (new, replay, backorder, reject), read, find and cancel."""

from flexhub.testing.api_client import ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot


def test_a_new_order_is_201_reserved_and_holds_its_stock(shop: Api) -> None:
    response = shop.client.post(ORDERS, json=order_body(), headers=shop.headers())

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["id"] and order["status"] == "reserved"
    assert order["channel"] == "web" and order["external_id"] == "A-1001"
    assert order["total"] == 19800 and order["currency"] == "CNY"
    assert [(r["sku"], r["quantity"], r["state"]) for r in order["reservations"]] == [("TEE-RED-M", 2, "active")]
    assert shop.levels() == [{"location": "WH-CENTRAL", "pool": "spot", "on_hand": 5, "reserved": 2,
                              "safety": 0, "in_transit": 0, "available": 3}]


def test_the_same_order_again_is_200_with_the_same_id_and_reserves_nothing_more(shop: Api) -> None:
    first = shop.post(ORDERS, order_body())
    before = snapshot(shop.hub)

    again = shop.client.post(ORDERS, json=order_body(), headers=shop.headers())

    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"] and again.json()["status"] == "reserved"
    assert snapshot(shop.hub) == before


def test_too_little_stock_stores_the_order_awaiting_stock(shop: Api) -> None:
    lines = [{"sku": "TEE-RED-M", "quantity": 6, "unit_price": 9900}]

    order = shop.post(ORDERS, order_body(lines=lines))

    assert order["status"] == "awaiting_stock" and order["reservations"] == []
    assert shop.levels()[0]["reserved"] == 0


def test_too_little_stock_with_reject_is_409_and_stores_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)
    body = order_body(lines=[{"sku": "TEE-RED-M", "quantity": 6, "unit_price": 9900}], on_shortage="reject")

    response = shop.client.post(ORDERS, json=body, headers=shop.headers())

    assert_error(response, 409, "inventory.insufficient_stock")
    assert snapshot(shop.hub) == before
    assert shop.get(ORDERS, channel="web", external_id="A-1001")["orders"] == []


def test_an_order_reads_back_by_id_and_by_channel_and_external_id(shop: Api) -> None:
    created = shop.post(ORDERS, order_body())

    by_id = shop.get(f"{ORDERS}/{created['id']}", role="operator")
    found = shop.get(ORDERS, role="operator", channel="web", external_id="A-1001")

    assert by_id == created
    assert [order["id"] for order in found["orders"]] == [created["id"]]
    listed = found["orders"][0]
    assert {k: v for k, v in by_id.items() if k not in ("lines", "reservations")} == {
        k: v for k, v in listed.items() if k not in ("skus", "nodes")}
    assert listed["skus"] == [{"sku": "TEE-RED-M", "quantity": 2}] and listed["nodes"] == ["WH-CENTRAL"]
    assert by_id["buyer"]["name"] == "张三" and by_id["shipping_address"]["city"] == "杭州市"
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in by_id["lines"]] == [("TEE-RED-M", 2, 9900)]
    as_viewer = shop.get(f"{ORDERS}/{created['id']}", role="viewer")  # a viewer reads the buyer masked
    assert as_viewer["buyer"]["name"] == "张*" and as_viewer["shipping_address"]["city"] == "杭州市"


def test_an_order_not_found_by_channel_and_external_id_is_an_empty_list(shop: Api) -> None:
    assert shop.get(ORDERS, channel="web", external_id="NOPE")["orders"] == []


def test_an_unknown_order_id_is_404(shop: Api) -> None:
    response = shop.client.get(f"{ORDERS}/0190c7b2-0000-7000-8000-000000000000", headers=shop.headers())

    assert_error(response, 404, "ordering.unknown_order")


def test_cancelling_releases_the_stock(shop: Api) -> None:
    created = shop.post(ORDERS, order_body())

    cancelled = shop.post(f"{ORDERS}/{created['id']}/cancel", {"reason": "buyer changed their mind"}, status=200)

    assert cancelled["status"] == "cancelled" and cancelled["status_reason"] == "buyer changed their mind"
    assert [r["state"] for r in cancelled["reservations"]] == ["released"]
    level = shop.levels()[0]
    assert (level["on_hand"], level["reserved"], level["available"]) == (5, 0, 5)


def test_cancelling_without_a_body_uses_the_default_reason(shop: Api) -> None:
    created = shop.post(ORDERS, order_body())

    response = shop.client.post(f"{ORDERS}/{created['id']}/cancel", headers=shop.headers("operator"))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert shop.levels()[0]["reserved"] == 0


def test_cancelling_twice_is_a_conflict_and_changes_nothing(shop: Api) -> None:
    created = shop.post(ORDERS, order_body())
    shop.post(f"{ORDERS}/{created['id']}/cancel", {}, status=200)
    before = snapshot(shop.hub)

    response = shop.client.post(f"{ORDERS}/{created['id']}/cancel", json={}, headers=shop.headers())

    assert_error(response, 409, "ordering.invalid_transition")
    assert snapshot(shop.hub) == before


def test_a_newer_version_with_a_naive_timestamp_updates_the_order(shop: Api) -> None:
    created = shop.post(ORDERS, order_body(updated_at="2025-06-01T08:00:00+08:00"))

    # naive timestamps are taken as UTC: 01:00Z is after 00:00Z
    response = shop.client.post(ORDERS, json=order_body(updated_at="2025-06-01T01:00:00", vip=True),
                                headers=shop.headers())

    assert response.status_code == 200, response.text
    assert response.json()["id"] == created["id"]
    assert response.json()["vip"] is True and response.json()["version"] == created["version"] + 1


def test_an_order_of_an_unknown_sku_is_404_and_stores_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)
    body = order_body(lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 9900},
                             {"sku": "NOPE", "quantity": 1, "unit_price": 100}])

    response = shop.client.post(ORDERS, json=body, headers=shop.headers())

    error = assert_error(response, 404, "catalog.unknown_sku")
    assert error["details"] == {"skus": ["NOPE"]}
    assert snapshot(shop.hub) == before


def test_an_order_of_an_unknown_channel_is_422_and_stores_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ORDERS, json=order_body(channel="tmall"), headers=shop.headers())

    assert_error(response, 422, "ordering.unknown_channel")
    assert snapshot(shop.hub) == before


def test_a_voided_payment_on_an_order_not_cancelled_is_422_and_stores_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ORDERS, json=order_body(payment_state="voided"), headers=shop.headers())

    error = assert_error(response, 422, "request.invalid")
    assert "voided" in str(error)
    assert snapshot(shop.hub) == before


def test_a_cancelled_order_whose_payment_was_voided_holds_no_stock_and_says_it_was_never_paid(shop: Api) -> None:
    created = shop.post(ORDERS, order_body(payment_state="voided", cancelled=True))

    assert (created["status"], created["payment_state"]) == ("cancelled", "voided")
    assert shop.levels()[0]["reserved"] == 0


def test_an_order_of_a_bundle_reserves_its_components(shop: Api) -> None:
    shop.post("/api/v1/catalog/bundles", {"code": "TEE-PAIR", "name": "Two tees", "components": [
        {"sku": "TEE-RED-M", "quantity": 2}]})

    order = shop.post(ORDERS, order_body(lines=[{"sku": "TEE-PAIR", "quantity": 2, "unit_price": 17900}]))

    assert order["status"] == "reserved"
    assert [(r["sku"], r["quantity"]) for r in order["reservations"]] == [("TEE-RED-M", 4)]
    assert shop.levels("TEE-PAIR")[0]["available"] == 0
    assert shop.get(f"{SKUS}/TEE-PAIR")["is_bundle"] is True

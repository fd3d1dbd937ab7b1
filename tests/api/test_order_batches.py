"""Holding an order and batches of orders over HTTP: POST /api/v1/orders/{id}/hold, POST and GET
/api/v1/order-batches; refusals with their codes and nothing changed."""

from flexhub.batches import RunOrderBatches
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

BATCHES = "/api/v1/order-batches"


def test_a_held_order_gives_its_stock_back_and_is_released_again(shop: Api) -> None:
    placed = shop.post(ORDERS, order_body("H-1", lines=[{"sku": "TEE-RED-M", "quantity": 2, "unit_price": 9900}]))

    held = shop.post(f"{ORDERS}/{placed['id']}/hold", {"reason": "buyer called"}, status=200)

    assert (held["status"], held["status_reason"]) == ("on_hold", "buyer called")
    assert shop.levels()[0]["reserved"] == 0
    again = shop.client.post(f"{ORDERS}/{placed['id']}/hold", json={}, headers=shop.headers())
    assert_error(again, 409, "ordering.invalid_transition")
    assert shop.post(f"{ORDERS}/{placed['id']}/release", {}, status=200)["status"] == "reserved"


def test_a_batch_is_started_then_followed_to_its_end(shop: Api) -> None:
    ids = [shop.post(ORDERS, order_body(f"B-{n}"))["id"] for n in range(2)]

    started = shop.post(BATCHES, {"action": "hold", "order_ids": ids, "reason": "address check"}, status=202)

    assert (started["state"], started["total"], started["waiting"]) == ("running", 2, 2)
    shop.hub.handle(RunOrderBatches())  # what the order-batches job does in the background
    ended = shop.get(f"{BATCHES}/{started['id']}")
    assert (ended["state"], ended["done"], ended["failed"]) == ("done", 2, 0)
    assert [(o["external_id"], o["outcome"], o["status"]) for o in ended["orders"]] == [
        ("B-0", "on_hold", "on_hold"), ("B-1", "on_hold", "on_hold")]


def test_refused_batches_change_nothing(shop: Api) -> None:
    order_id = shop.post(ORDERS, order_body("R-1"))["id"]
    before = snapshot(shop.hub)

    for role, body, status, code in [
        ("viewer", {"action": "hold", "order_ids": [order_id]}, 403, "auth.forbidden"),
        ("partner", {"action": "ship", "order_ids": [order_id]}, 403, "auth.forbidden"),
        ("admin", {"action": "shred", "order_ids": [order_id]}, 422, "batches.unknown_action"),
        ("admin", {"action": "hold", "order_ids": []}, 422, "batches.bad_selection"),
        ("admin", {"action": "hold", "order_ids": ["not-an-id"]}, 422, "batches.bad_selection"),
        ("partner", {"action": "hold", "order_ids": [order_id]}, 404, "ordering.unknown_order"),  # the brand's
    ]:
        answer = shop.client.post(BATCHES, json=body, headers=shop.headers(role))
        assert_error(answer, status, code)

    assert snapshot(shop.hub) == before
    assert_error(shop.client.get(f"{BATCHES}/{order_id}", headers=shop.headers()), 404, "batches.unknown_batch")

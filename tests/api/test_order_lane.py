"""The fast lane for POST /api/v1/orders (api/order_lane.py): it answers an order it is sure of as the route would,
without the route, and leaves everything else to the route, which answers with its own codes."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from flexhub.api.order_lane import ORDER_OUT, OrderLane, order_json
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.asgi import Route
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

ROUTE_ONLY = "application/json; charset=UTF-8"  # a content type the route takes and the lane leaves to it


class Hosting:
    """Stands for the FastAPI app around the lane: what Starlette puts in each request's scope, the app whose state
    holds the hub (api.app.bind)."""

    def __init__(self, inner: ASGIApp, hub: Any) -> None:
        self.inner, self.state = inner, SimpleNamespace(hub=hub)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.inner({**scope, "app": self}, receive, send)


def test_the_lane_answers_an_order_as_the_route_answers_its_replay(shop: Api) -> None:
    shop.client.get(ORDERS, headers=shop.headers())  # the key verified once, then found in the key ring's cache
    created = shop.client.post(ORDERS, json=order_body(), headers=shop.headers())
    replayed = shop.client.post(ORDERS, content=created.request.content,
                                headers=shop.headers(**{"content-type": ROUTE_ONLY}))

    assert (created.status_code, replayed.status_code) == (201, 200)
    assert created.json() == replayed.json() == shop.get(f"{ORDERS}/{created.json()['id']}")
    assert created.headers["content-type"] == replayed.headers["content-type"] == "application/json"


def test_an_order_the_lane_is_sure_of_never_reaches_the_route(shop: Api) -> None:
    shop.post(ORDERS, order_body(external_id="WARM-1"))  # the key is verified once, then in the key ring's cache
    route = Route()

    lane = TestClient(Hosting(OrderLane(route), shop.hub))  # no lifespan: the stand-in route answers only requests
    taken = lane.post(ORDERS, json=order_body(external_id="L-1"), headers=shop.headers())
    refused = lane.post(ORDERS, json=order_body(external_id="L-2", on_shortage="reject",
                                                lines=[{"sku": "TEE-RED-M", "quantity": 99, "unit_price": 1}]),
                        headers=shop.headers())

    assert taken.status_code == 201 and taken.json()["external_id"] == "L-1"
    assert_error(refused, 409, "inventory.insufficient_stock")
    assert route.reached == 0


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"headers": {"Authorization": "Bearer fhk_nope_nope"}}, 401, "auth.invalid_key"),
    ({"role": "viewer"}, 403, "auth.forbidden"),
    ({"content": b"{not json"}, 400, "request.malformed_json"),
    ({"json": {"channel": "web"}}, 422, "request.invalid"),
])
def test_what_the_lane_is_not_sure_of_the_route_refuses_and_nothing_is_written(
        shop: Api, change: dict[str, Any], status: int, code: str) -> None:
    for role in ("admin", "viewer"):  # both keys verified and cached: the lane could take them
        shop.client.get(ORDERS, headers=shop.headers(role))
    before = snapshot(shop.hub)
    headers = {**shop.headers(change.get("role", "admin")), **change.get("headers", {})}
    body = {"content": change["content"]} if "content" in change else {"json": change.get("json", order_body())}

    answer = shop.client.post(ORDERS, headers={"content-type": "application/json", **headers}, **body)

    assert_error(answer, status, code)
    assert snapshot(shop.hub) == before


def test_a_body_the_lane_read_reaches_the_route_whole() -> None:
    route_saw: list[bytes] = []

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        route_saw.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    lane = TestClient(Hosting(OrderLane(route), hub=None))  # never asked: no key is sent
    answer = lane.post(ORDERS, content=b'{"channel": "web"}', headers={"content-type": "application/json"})

    assert answer.status_code == 204 and route_saw == [b'{"channel": "web"}']


WRITTEN = {  # an order as the PostgreSQL writer answers with it (ordering/writer/postgres.py, _as_stored)
    "id": "01a24b83-64ec-7000-8001-1fce12ac37f3", "channel": "web", "external_id": "LIVE-0", "status": "reserved",
    "status_reason": None, "currency": "CNY", "subtotal": 9900, "discount_total": 0, "shipping_fee": 0,
    "total": 9900, "payment_state": "paid", "presale": False, "vip": False, "live_room": None, "streamer": None,
    "buyer": {"name": "买家 7", "vip_level": 3}, "shipping_address": {"country": "CN", "province": "浙江省"},
    "placed_at": None, "created_at": datetime(2026, 12, 6, 13, 0, 0, 123456, tzinfo=UTC),
    "updated_at": datetime(2026, 12, 6, 13, 0, 0, 123456, tzinfo=UTC), "version": 1,
    "lines": [{"line_no": 1, "sku": "LIVE-HOT-1", "quantity": 1, "unit_price": 9900, "discount": 0,
               "presale": False}],
    "reservations": [{"sku": "LIVE-HOT-1", "location": "WH-CENTRAL", "pool": "spot", "quantity": 1,
                      "state": "active", "expires_at": datetime(2026, 12, 6, 14, 0, tzinfo=UTC)}],
}


@pytest.mark.parametrize("order", [
    WRITTEN,
    {**WRITTEN, "reservations": [], "placed_at": datetime(2026, 12, 6, 12, 59, tzinfo=UTC)},
    {**WRITTEN, "read_back": True},  # not the model's shape: validated, the extra key dropped
    {"version": 1, **{key: value for key, value in WRITTEN.items() if key != "version"}},  # another order
], ids=["written", "placed-unreserved", "extra-key", "reordered"])
def test_the_lanes_answer_is_the_bytes_the_routes_response_model_writes(order: dict[str, Any]) -> None:
    assert order_json(order) == ORDER_OUT.dump_json(ORDER_OUT.validate_python(order))

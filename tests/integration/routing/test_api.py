"""The routing API: the policy document (GET/PUT /api/v1/routing/config) and an order's decision."""

from collections.abc import Iterator

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, LOCATIONS, ORDERS, Api, api_over, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

CONFIG = "/api/v1/routing/config"


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    """TEE-RED-M: 5 at WH-BJ (tried first by intake), 5 at WH-HZ and 1 at WH-CENTRAL, sold through `web`."""
    with api_over(database_url) as api:
        api.stock_shop(stock=1)
        api.post(LOCATIONS, {"code": "WH-BJ", "kind": "central", "country": "CN", "city": "北京", "priority": 10})
        api.post(LOCATIONS, {"code": "WH-HZ", "kind": "regional", "country": "CN", "province": "浙江省",
                             "city": "杭州市", "priority": 20, "secure": True, "packs_fragile": True})
        for location in ("WH-BJ", "WH-HZ"):
            api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": location, "quantity_delta": 5, "reason": "in"})
        yield api


def test_the_policy_in_force_is_the_default_until_one_is_put(api: Api) -> None:
    response = api.client.get(CONFIG, headers=api.headers("viewer"))
    assert response.status_code == 200 and response.headers["etag"] == '"0"'
    assert response.json()["split_margin"] == 1500 and response.json()["services"][0]["carrier"] == "zto"
    put = api.client.put(CONFIG, json={"split_margin": 800, "weights": {"late_day": 2500}}, headers=api.headers())
    assert put.status_code == 200, put.text
    assert put.headers["etag"] == '"1"' and put.json()["weights"]["late_day"] == 2500
    again = api.get(CONFIG)
    assert (again["split_margin"], again["weights"]["split"]) == (800, 500)


def test_only_an_admin_puts_the_policy_and_a_partner_does_not_read_it(api: Api) -> None:
    before = snapshot(api.hub)
    assert_error(api.client.put(CONFIG, json={}, headers=api.headers("operator")), 403, "auth.forbidden")
    assert_error(api.client.get(CONFIG, headers=api.headers("partner")), 403, "auth.forbidden")
    assert snapshot(api.hub) == before


def test_a_policy_that_does_not_validate_is_refused(api: Api) -> None:
    before = snapshot(api.hub)
    response = api.client.put(CONFIG, json={"timezone": "Mars/Olympus"}, headers=api.headers())
    assert_error(response, 422, "request.invalid")
    assert snapshot(api.hub) == before


def test_an_order_is_routed_and_its_decision_read_back(api: Api) -> None:
    placed = api.post(ORDERS, order_body())
    path = f"{ORDERS}/{placed['id']}/routing"
    assert_error(api.client.get(path, headers=api.headers()), 404, "routing.no_decision")
    routed = api.post(f"{ORDERS}/{placed['id']}/route", {}, role="operator", status=200)
    assert (routed["outcome"], routed["nodes"]) == ("routed", ["WH-HZ"])
    read = api.get(path, role="viewer")
    assert read["decision_id"] == routed["decision_id"] and read["candidates"][0]["chosen"]
    assert read["plan"]["parcels"][0]["zone"] == "same_province"
    assert api.get(f"{ORDERS}/{placed['id']}")["status"] == "routed"


def test_a_short_pick_reroutes_the_order(api: Api) -> None:
    placed = api.post(ORDERS, order_body())
    api.post(f"{ORDERS}/{placed['id']}/route", {}, status=200)
    rerouted = api.post(f"{ORDERS}/{placed['id']}/reroute", {"node": "WH-HZ", "short_skus": ["TEE-RED-M"]},
                        status=200)
    assert (rerouted["trigger"], rerouted["nodes"], rerouted["excluded"]) == ("reroute", ["WH-BJ"], ["WH-HZ"])
    unknown = api.client.post(f"{ORDERS}/{placed['id']}/reroute", json={"node": "WH-XX"}, headers=api.headers())
    assert_error(unknown, 422, "routing.unknown_node")


def test_routing_an_order_twice_is_a_conflict(api: Api) -> None:
    placed = api.post(ORDERS, order_body())
    api.post(f"{ORDERS}/{placed['id']}/route", {}, status=200)
    before = snapshot(api.hub)
    response = api.client.post(f"{ORDERS}/{placed['id']}/route", headers=api.headers())
    assert_error(response, 409, "ordering.invalid_transition")
    assert snapshot(api.hub) == before

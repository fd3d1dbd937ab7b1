"""A reseller's orders are drop-shipped blind: no answer its key or its sign-in can reach about its orders, parcels
and their tracking names the brand's node (its code or its name) — the parcel, the parcels list, the order with its
reservations, the orders list and its exports, the exceptions, the order's page; the routing decision, all about
the brand's nodes, is refused. The brand's staff see the node in the same answers."""

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, CHANNELS, LOCATIONS, ORDERS, SKUS, Api, assert_error
from flexhub.testing.builders import order_body

NODE, NODE_NAME = "WH-HZ", "Acme Hangzhou DC"


@pytest.fixture
def shipped(api: Api) -> tuple[Api, dict, dict]:
    """reseller-1's order, routed to the brand's WH-HZ, shipped and tracked in transit."""
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee, red, M"})
    api.post(LOCATIONS, {"code": NODE, "kind": "regional", "name": NODE_NAME, "country": "CN", "province": "浙江省",
                         "city": "杭州市"})
    api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": NODE, "quantity_delta": 5, "reason": "first delivery"})
    api.post(CHANNELS, {"code": "r1-shop", "platform": "generic", "partner": "reseller-1"})
    order = api.post(ORDERS, order_body("LCT-0001", channel="r1-shop", lines=[
        {"sku": "TEE-RED-M", "quantity": 2, "unit_price": 12900}]), role="partner")
    api.post(f"{ORDERS}/{order['id']}/route", {}, status=200)
    shipment = api.post(f"{ORDERS}/{order['id']}/shipments", {"node": NODE})
    for step, body in (("pick", {}), ("pack", {}), ("ship", {"waybill_number": "SF1000000001"}),
                       ("tracking", {"state": "in_transit", "description": "到达杭州转运中心"})):
        api.post(f"/api/v1/shipments/{shipment['id']}/{step}", body, status=200)
    return api, order, shipment


def _reads(order: dict, shipment: dict) -> list[str]:
    return ["/api/v1/shipments", f"/api/v1/shipments/{shipment['id']}", f"/api/v1/orders/{order['id']}",
            "/api/v1/orders", "/api/v1/orders/export", "/api/v1/exceptions"]


def _pages(order: dict) -> list[str]:
    return ["/orders", f"/orders/{order['id']}", "/orders/export.csv", "/resellers/reseller-1/parcels", "/exceptions"]


def test_the_resellers_answers_about_its_parcels_never_name_the_brands_node(shipped: tuple[Api, dict, dict]) -> None:
    api, order, shipment = shipped
    api.client.post("/login", data={"api_key": api.tenant.tokens["partner"]}, follow_redirects=False)

    answers = {path: api.client.get(path, headers=api.headers("partner")) for path in _reads(order, shipment)}
    answers |= {path: api.client.get(path) for path in _pages(order)}  # signed in with its key

    assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(answers, 200)
    assert {path: [w for w in (NODE, NODE_NAME) if w in a.text] for path, a in answers.items()} == dict.fromkeys(
        answers, [])
    parcel = answers[f"/api/v1/shipments/{shipment['id']}"].json()
    assert (parcel["node"], parcel["waybill_number"], parcel["tracking_state"]) == (None, "SF1000000001",
                                                                                  "in_transit")
    assert [r["location"] for r in answers[f"/api/v1/orders/{order['id']}"].json()["reservations"]] in ([], [None])
    assert "SF1000000001" in answers[f"/orders/{order['id']}"].text  # its parcel is shown, blind
    assert_error(api.client.get(f"/api/v1/orders/{order['id']}/routing", headers=api.headers("partner")), 403,
                 "auth.forbidden")


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_brands_staff_see_the_node(shipped: tuple[Api, dict, dict], role: str) -> None:
    api, order, shipment = shipped

    assert api.get(f"/api/v1/shipments/{shipment['id']}", role=role)["node"] == NODE
    assert [s["node"] for s in api.get("/api/v1/shipments", role=role)["shipments"]] == [NODE]
    assert api.get(ORDERS, role=role)["orders"][0]["nodes"] == [NODE]
    assert api.get(f"/api/v1/orders/{order['id']}/routing", role=role)["plan"] is not None

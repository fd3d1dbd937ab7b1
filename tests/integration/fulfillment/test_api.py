"""The shipment and return routes end to end over HTTP: create, pick, pack, ship, label, tracking, exceptions,
and a return that restocks; a denied request changes nothing."""

from collections.abc import Iterator

import httpx2
import pytest
from structlog.testing import capture_logs

from flexhub.testing.api_client import ORDERS, Api, api_over, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.fulfillment import ZTO_ACCOUNT, Network, stock_shop_over_api
from flexhub.testing.snapshots import snapshot


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        network = Network()
        api.hub.http = httpx2.Client(transport=httpx2.MockTransport(network))
        api.hub.notifier.http = api.hub.waybills.http = api.hub.http  # handed their client, not the hub
        stock_shop_over_api(api)
        api.post("/api/v1/carrier-accounts", {"carrier": "zto", "credentials": ZTO_ACCOUNT})
        yield api


def test_a_routed_order_ships_is_tracked_and_comes_back_over_http(api: Api) -> None:
    order_id = api.post(ORDERS, order_body())["id"]
    before = snapshot(api.hub)
    refused = api.client.post(f"{ORDERS}/{order_id}/shipments", json={"carrier": "zto"}, headers=api.headers())
    assert_error(refused, 409, "fulfillment.not_shippable")
    assert snapshot(api.hub) == before
    api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
    created = api.post(f"{ORDERS}/{order_id}/shipments", {"carrier": "zto"})
    assert (created["state"], created["waybill_number"], created["has_label"]) == ("created", "ZT77000001", True)
    path = f"/api/v1/shipments/{created['id']}"
    for step, state in (("pick", "picked"), ("pack", "packed"), ("ship", "shipped")):
        assert api.post(f"{path}/{step}", {}, status=200)["state"] == state
    label = api.client.get(f"{path}/label", headers=api.headers("viewer"))
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    assert api.post(f"{path}/tracking", {"state": "delivered"}, status=200)["state"] == "delivered"
    assert api.get(f"{ORDERS}/{order_id}")["status"] == "delivered"
    assert api.get("/api/v1/exceptions")["shipments"] == []
    rma = api.post("/api/v1/returns", {"order_id": order_id, "lines": {"TEE-RED-M": 1}, "returns_centre": "WH-HZ"})
    api.post(f"/api/v1/returns/{rma['id']}/receive", {}, status=200)
    inspected = api.post(f"/api/v1/returns/{rma['id']}/inspect", {"grades": {"TEE-RED-M": {"resellable": 1}}},
                         status=200)
    assert inspected["state"] == "inspected" and inspected["lines"][0]["resellable"] == 1
    levels = api.get("/api/v1/inventory/levels", sku="TEE-RED-M")["levels"]
    assert [(lv["location"], lv["on_hand"]) for lv in levels] == [("WH-HZ", 4)]
    assert api.get("/api/v1/returns/defects/suppliers") == [
        {"supplier": None, "returned": 1, "refurbish": 0, "scrap": 0, "skus": ["TEE-RED-M"]}]


def test_regional_returns_centres_are_set_by_an_admin_and_refused_to_others(api: Api) -> None:
    set_centres = api.client.put("/api/v1/returns/centres", json={"centres": {"浙江省": "WH-HZ"}},
                                 headers=api.headers())
    assert set_centres.status_code == 200 and api.get("/api/v1/returns/centres") == {"centres": {"浙江省": "WH-HZ"}}
    before = snapshot(api.hub)
    denied = api.client.put("/api/v1/returns/centres", json={"centres": {"*": "WH-HZ"}}, headers=api.headers("viewer"))
    assert denied.status_code == 403
    unknown = api.client.put("/api/v1/returns/centres", json={"centres": {"*": "NOWHERE"}}, headers=api.headers())
    assert_error(unknown, 404, "inventory.unknown_location")
    assert snapshot(api.hub) == before and api.get("/api/v1/returns/centres") == {"centres": {"浙江省": "WH-HZ"}}


def test_a_failing_channel_notice_is_one_exception_from_its_first_try_and_one_log_line_a_try(api: Api) -> None:
    network = api.hub.http._transport.handler  # type: ignore[attr-defined]
    network.channel_status = 503
    order_id = api.post(ORDERS, order_body())["id"]
    api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
    shipment_id = api.post(f"{ORDERS}/{order_id}/shipments", {"carrier": "zto"})["id"]
    for step in ("pick", "pack", "ship"):
        api.post(f"/api/v1/shipments/{shipment_id}/{step}", {}, status=200)
    api.hub.relay.run_once()

    with capture_logs() as logs:
        assert api.hub.notifier.run_once() == 0
        api.post(f"/api/v1/shipments/{shipment_id}/notice", {}, status=200)  # tried again now, not in 1-2 s
        assert api.hub.notifier.run_once() == 0

    failing = [p for p in api.get("/api/v1/exceptions")["shipments"] if p["shipment_id"] == shipment_id]
    assert [(p["problem"], p["error"][:8], p["attempts"]) for p in failing] == [
        ("channel_notice_failing", "HTTP 503", 1)]  # one entry for two tries (the retry restarted the count)
    tries = [entry for entry in logs if entry.get("kind") == "shipment.notice"]
    assert [(entry["event"], entry["log_level"], entry["error"][:8]) for entry in tries] == [
        ("job try failed", "warning", "HTTP 503")] * 2
    assert not any(entry.get("exc_info") for entry in logs)  # no traceback
    api.client.post("/login", data={"api_key": api.tenant.tokens["operator"]})
    page = api.client.get("/exceptions").text
    assert page.count('data-problem="channel_notice_failing"') == 1
    assert f'action="/exceptions/shipments/{shipment_id}/notice"' in page

    network.channel_status = 200
    api.client.post(f"/exceptions/shipments/{shipment_id}/notice")
    assert api.hub.notifier.run_once() == 1
    assert api.get("/api/v1/exceptions")["shipments"] == []

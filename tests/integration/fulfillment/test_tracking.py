"""Carrier tracking on each backend, against the sandbox SF Express: pushes verified (bad → 401, nothing kept),
kept raw and recorded once (a replayed or older scan changes nothing), polls paced outside transactions, the
scans moving shipment and order to delivered; and the exceptions queue's fixes for a silent parcel (re-poll)
and a failed delivery (mark lost and re-ship)."""

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select

from flexhub.fulfillment import carrier_pushes, repository
from flexhub.fulfillment.commands import CreateShipment
from flexhub.fulfillment.model import CarrierPush, TrackingEvent
from flexhub.sandbox.carrier import SfSandbox
from flexhub.testing.api_client import ADJUSTMENTS, ORDERS, Api, api_over, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.clocks import MovableClock
from flexhub.testing.fulfillment import SF_SANDBOX, Network, SfNetwork, stock_shop_over_api
from flexhub.testing.snapshots import snapshot

TOKEN = "push-token-for-tests"


@pytest.fixture
def sf() -> Iterator[SfSandbox]:
    sandbox = SfSandbox()
    yield sandbox
    sandbox.close()


@pytest.fixture
def api(database_url: str, sf: SfSandbox) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.hub.http = httpx2.Client(transport=httpx2.MockTransport(SfNetwork(sf, Network())))
        api.hub.notifier.http = api.hub.waybills.http = api.hub.http  # handed their client, not the hub
        stock_shop_over_api(api)
        yield api


@pytest.fixture
def account(api: Api, sf: SfSandbox) -> str:
    return api.post("/api/v1/carrier-accounts", {"carrier": "sf_express",
                                                 "credentials": sf.credentials(SF_SANDBOX, TOKEN)})["id"]


def shipped(api: Api, external_id: str = "A-1001") -> dict[str, Any]:
    order_id = api.post(ORDERS, order_body(external_id))["id"]
    api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
    created = api.post(f"{ORDERS}/{order_id}/shipments", {"carrier": "sf_express"})
    for step in ("pick", "pack", "ship"):
        api.post(f"/api/v1/shipments/{created['id']}/{step}", {}, status=200)
    return created


def push(api: Api, account: str, sf: SfSandbox, routes: list[dict], token: str = TOKEN) -> httpx2.Response:
    webhook = sf.push_request(routes, f"/webhooks/carriers/sf_express/{account}?token={token}")
    return api.client.post(webhook.path, content=webhook.body, headers=webhook.headers)


def shipment(api: Api, shipment_id: str) -> dict[str, Any]:
    return api.get(f"/api/v1/shipments/{shipment_id}")


def count(api: Api, table: Any) -> int:
    with api.hub.uow(write=False) as uow:
        return uow.connection.scalar(select(func.count()).select_from(table))


def test_a_sandbox_waybill_and_label_then_a_signed_push_moves_the_shipment_once(api: Api, sf: SfSandbox,
                                                                               account: str) -> None:
    created = shipped(api)
    assert created["waybill_number"] in sf.parcels and created["has_label"]
    picked_up = sf.scan(created["waybill_number"], "picked_up", push=False)

    before = snapshot(api.hub)
    refused = push(api, account, sf, [picked_up], token="wrong")
    assert_error(refused, 401, "fulfillment.bad_carrier_signature")
    assert count(api, CarrierPush) == 0 and snapshot(api.hub) == before

    answered = push(api, account, sf, [picked_up])
    assert answered.status_code == 200 and answered.json()["return_code"] == "0000"
    assert count(api, CarrierPush) == 1 and shipment(api, created["id"])["state"] == "shipped"  # kept, not yet read
    assert carrier_pushes.process_pending(api.hub) == 1
    moved = shipment(api, created["id"])
    assert (moved["state"], moved["tracking_state"]) == ("in_transit", "picked_up")

    settled = snapshot(api.hub)
    assert push(api, account, sf, [picked_up]).status_code == 200  # SF sends it again
    assert carrier_pushes.process_pending(api.hub) == 1
    assert count(api, TrackingEvent) == 1
    assert shipment(api, created["id"]) == moved and snapshot(api.hub) == settled


def test_an_older_scan_is_kept_and_moves_nothing(api: Api, sf: SfSandbox, account: str) -> None:
    created = shipped(api)
    number = created["waybill_number"]
    sf.scan(number, "picked_up", push=False)
    delivered = sf.scan(number, "delivered", push=False)
    push(api, account, sf, [delivered])
    carrier_pushes.process_pending(api.hub)
    assert shipment(api, created["id"])["state"] == "delivered"
    settled = snapshot(api.hub)
    push(api, account, sf, [sf.parcels[number].routes[0]])  # the pickup scan arrives late
    carrier_pushes.process_pending(api.hub)
    view = shipment(api, created["id"])
    assert (view["state"], view["tracking_state"]) == ("delivered", "delivered")
    assert count(api, TrackingEvent) == 2 and snapshot(api.hub).orders == settled.orders


def test_an_unknown_account_or_carrier_is_refused_and_nothing_is_kept(api: Api, sf: SfSandbox, account: str) -> None:
    assert_error(push(api, str(uuid.uuid4()), sf, []), 404, "fulfillment.unknown_carrier_account")
    response = api.client.post(f"/webhooks/carriers/no_such_carrier/{account}", content=b"{}")
    assert_error(response, 422, "shipping.unknown_carrier")
    assert count(api, CarrierPush) == 0


def test_polling_follows_a_parcel_that_pushes_nothing_to_delivered(api: Api, sf: SfSandbox, account: str) -> None:
    created = shipped(api)
    order_id = shipment(api, created["id"])["order_id"]
    sf.scan(created["waybill_number"], "picked_up", push=False)
    assert api.hub.tracker.run_once() == 0  # scheduled: the first poll is due after `every`
    api.hub.tracker.every = timedelta(0)
    assert api.hub.tracker.run_once() == 0  # ... which was set when it was scheduled
    polled = api.post(f"/api/v1/shipments/{created['id']}/poll", {}, status=200)  # the exceptions queue's re-poll
    assert (polled["state"], polled["tracking_state"]) == ("in_transit", "picked_up")
    sf.scan(created["waybill_number"], "delivered", push=False)
    assert api.hub.tracker.run_once() == 1  # the pickup scan again is not new
    assert shipment(api, created["id"])["state"] == "delivered"
    assert api.get(f"{ORDERS}/{order_id}")["status"] == "delivered"
    before = snapshot(api.hub)
    assert api.hub.tracker.run_once() == 0  # delivered: no longer polled
    refused = api.client.post(f"/api/v1/shipments/{created['id']}/poll", headers=api.headers())
    assert_error(refused, 409, "fulfillment.not_trackable")
    assert snapshot(api.hub) == before


def problems(api: Api) -> dict[str, dict[str, Any]]:
    return {p["problem"]: p for p in api.get("/api/v1/exceptions")["shipments"]}


def follow(api: Api, problem: dict[str, Any], action: str, status: int = 200) -> httpx2.Response:
    chosen = next(a for a in problem["actions"] if a["action"] == action)
    response = api.client.request(chosen["method"], chosen["path"], headers=api.headers())
    assert response.status_code == status, response.text
    return response


def test_a_silent_parcel_is_queued_and_a_re_poll_finds_it_moving(api: Api, sf: SfSandbox, account: str,
                                                                 clock: MovableClock) -> None:
    created = shipped(api)
    assert problems(api) == {}
    clock.advance(hours=49)
    silent = problems(api)["no_tracking_event"]
    assert [a["action"] for a in silent["actions"]] == ["repoll", "record_tracking", "mark_lost_and_reship",
                                                        "contact_buyer"]
    sf.scan(created["waybill_number"], "in_transit", push=False)
    assert follow(api, silent, "repoll").json()["state"] == "in_transit"
    assert problems(api) == {}


def test_a_failed_delivery_is_written_off_as_lost_and_shipped_again_from_the_same_node(
        api: Api, sf: SfSandbox, account: str) -> None:
    created = shipped(api)
    order_id = shipment(api, created["id"])["order_id"]
    sf.scan(created["waybill_number"], "exception", push=False)
    api.post(f"/api/v1/shipments/{created['id']}/poll", {}, status=200)
    failed = problems(api)["delivery_failed"]
    assert [a["action"] for a in failed["actions"]] == ["repoll", "contact_buyer", "record_tracking",
                                                        "mark_lost_and_reship", "create_return"]
    assert api.levels()[0]["on_hand"] == 3  # 5 received, 2 shipped

    api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-HZ", "quantity_delta": -2, "reason": "damaged"})
    before = snapshot(api.hub)
    follow(api, failed, "mark_lost_and_reship", status=409)  # 1 left: too few to ship the 2 again
    assert snapshot(api.hub) == before and shipment(api, created["id"])["state"] == "failed"

    api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-HZ", "quantity_delta": 2, "reason": "found"})
    replacement = follow(api, failed, "mark_lost_and_reship").json()
    assert shipment(api, created["id"])["state"] == "lost"
    assert (replacement["state"], replacement["waybill_state"]) == ("created", "issued")
    assert replacement["waybill_number"] != created["waybill_number"] and replacement["lines"][0]["quantity"] == 2
    assert api.get(f"{ORDERS}/{order_id}")["status"] == "routed"
    assert [(lv["on_hand"], lv["reserved"]) for lv in api.levels()] == [(3, 2)]
    for step in ("pick", "pack", "ship"):
        api.post(f"/api/v1/shipments/{replacement['id']}/{step}", {}, status=200)
    assert [(lv["on_hand"], lv["reserved"]) for lv in api.levels()] == [(1, 0)]
    assert api.get(f"{ORDERS}/{order_id}")["status"] == "shipped" and problems(api) == {}
    settled = snapshot(api.hub)
    again = api.client.post(f"/api/v1/shipments/{created['id']}/lost", headers=api.headers())
    assert_error(again, 409, "fulfillment.invalid_transition")
    assert snapshot(api.hub) == settled


SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "channels"


def test_easyposts_official_signed_event_is_kept_and_a_tampered_one_refused(api: Api) -> None:
    vector = json.loads((SAMPLES / "easypost_webhook_hmac_test_vector.json").read_text())
    body = (SAMPLES / "easypost_webhook_event_body.json").read_bytes().rstrip(b"\n")
    account = api.post("/api/v1/carrier-accounts", {"carrier": "easypost", "credentials": {
        "api_key": "EZTKfake", "webhook_secret": vector["secret"], "carrier_account_id": "ca_1"}})["id"]
    order_id = api.post(ORDERS, order_body())["id"]
    api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
    created = api.post(f"{ORDERS}/{order_id}/shipments", {"carrier": "easypost", "service": "FedEx:FEDEX_GROUND"})
    for step in ("pick", "pack"):
        api.post(f"/api/v1/shipments/{created['id']}/{step}", {}, status=200)
    api.post(f"/api/v1/shipments/{created['id']}/ship", {"waybill_number": "1"}, status=200)  # the sample's code
    path, signed = f"/webhooks/carriers/easypost/{account}", {"X-Hmac-Signature": vector["expected_X-Hmac-Signature"]}

    before = snapshot(api.hub)
    assert_error(api.client.post(path, content=body.replace(b"FedEx", b"FedEz"), headers=signed), 401,
                 "fulfillment.bad_carrier_signature")
    assert count(api, CarrierPush) == 0 and snapshot(api.hub) == before
    answered = api.client.post(path, content=body, headers=signed)
    assert answered.status_code == 200 and answered.json() == {}
    assert carrier_pushes.process_pending(api.hub) == 1
    view = shipment(api, created["id"])
    assert (view["state"], view["tracking_state"]) == ("in_transit", "in_transit")
    assert count(api, TrackingEvent) == 7


def test_polls_keep_within_the_carriers_rate_limit(api: Api) -> None:
    """DHL's tracking plan allows one call per 5 s: of two parcels due at once, one is asked now, one later."""
    sample = json.loads((SAMPLES / "dhl_unified_tracking_GET_track_shipments_example.json").read_text())
    asked: list[str] = []

    def dhl(request: httpx2.Request) -> httpx2.Response:
        number = request.url.params["trackingNumber"]
        asked.append(number)
        return httpx2.Response(200, json={"shipments": [{**sample["shipments"][0], "id": number}]})

    api.hub.http = httpx2.Client(transport=httpx2.MockTransport(dhl))
    api.post("/api/v1/carrier-accounts", {"carrier": "dhl", "credentials": {
        "api_key": "k", "mydhl_username": "u", "mydhl_password": "p", "account_number": "1"}})
    api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-HZ", "quantity_delta": 5, "reason": "in"})
    for number in ("7777777770", "7777777771"):
        order_id = api.post(ORDERS, order_body(f"A-{number}"))["id"]
        api.post(f"{ORDERS}/{order_id}/route", {}, status=200)
        created = api.hub.handle(CreateShipment(actor=api.tenant.admin, order_id=order_id))  # no waybill asked
        for step in ("pick", "pack"):
            api.post(f"/api/v1/shipments/{created.id}/{step}", {}, status=200)
        api.post(f"/api/v1/shipments/{created.id}/ship", {"waybill_number": number}, status=200)
        with api.hub.uow() as uow:  # a DHL parcel whose waybill was made outside the hub
            repository.update_shipment(uow.connection, created.id, carrier="dhl")
            uow.commit()
    api.hub.tracker.every = timedelta(0)  # both due as soon as they are scheduled
    assert api.hub.tracker.run_once() == 1 and len(asked) == 1  # the bucket held one call
    assert api.hub.tracker.run_once() == 0 and len(asked) == 1  # the other waits for the next token
    assert count(api, TrackingEvent) == 1


def test_a_push_that_cannot_be_read_is_kept_failed_and_parked_as_a_dead_job(api: Api, account: str) -> None:
    answered = api.client.post(f"/webhooks/carriers/sf_express/{account}?token={TOKEN}", content=b"not a push",
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert answered.status_code == 200

    assert carrier_pushes.process_pending(api.hub) == 0
    with api.hub.uow(write=False) as uow:
        (kept,) = uow.connection.execute(select(CarrierPush)).all()
    assert kept.state == "failed" and kept.error.startswith("unparseable")
    (dead,) = api.get("/api/v1/jobs", state="dead")["jobs"]
    assert (dead["kind"], dead["key"], dead["attempts"]) == ("carrier.push", str(kept.id), 1)
    assert carrier_pushes.process_pending(api.hub) == 0  # parked: not tried again until someone retries it

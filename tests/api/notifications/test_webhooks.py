"""Outbound webhooks over HTTP on SQLite and PostgreSQL: a supplier's endpoint gets its own order events only,
signed per Standard Webhooks with `webhook-id` = the event id; failures are retried with back-off, parked after
too many tries and sent again on request; a redelivered event is delivered once."""

import json
from collections.abc import Iterator

import httpx2
import pytest
from sqlalchemy import select

from flexhub.bus.transport import Envelope
from flexhub.kernel import clock
from flexhub.notifications import signing
from flexhub.notifications.delivery import WebhookSender
from flexhub.notifications.model import WebhookEndpoint
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock, movable_clock
from flexhub.testing.purchasing import add_supplier, purchasing_rows, sent_order, set_terms, stock_for_purchasing
from flexhub.testing.snapshots import audit, outbox, snapshot

ENDPOINTS = "/api/v1/notifications/endpoints"
DELIVERIES = "/api/v1/notifications/deliveries"


class Receiver:
    """Every request the hub posts, answered with the status set in `status`."""

    def __init__(self) -> None:
        self.requests: list[httpx2.Request] = []
        self.status = 204

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return httpx2.Response(self.status)

    def to(self, host: str) -> list[httpx2.Request]:
        return [r for r in self.requests if r.url.host == host]


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def api(database_url: str, receiver: Receiver) -> Iterator[Api]:
    with api_over(database_url) as api:
        api.hub.http = httpx2.Client(transport=httpx2.MockTransport(receiver))
        stock_for_purchasing(api, skus=("TEE-RED-M", "TEE-BLUE-M"))
        yield api


def subscribe(api: Api, headers: dict[str, str], url: str, **body) -> dict:
    response = api.client.post(ENDPOINTS, json={"url": url, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def sender_of(api: Api, **options) -> WebhookSender:
    return WebhookSender(api.hub.uow, http=api.hub.http, vault=api.hub.vault, **options)


def deliver(api: Api, sender: WebhookSender | None = None) -> int:
    api.hub.relay.run_once()
    return (sender or sender_of(api)).run_once()


def test_a_supplier_endpoint_gets_its_own_events_signed_and_nothing_else(api: Api, receiver: Receiver) -> None:
    mine, other = add_supplier(api, "mill-1"), add_supplier(api, "mill-2")
    set_terms(api, "mill-1", "TEE-RED-M")
    set_terms(api, "mill-2", "TEE-BLUE-M")
    brand = subscribe(api, api.headers(), "https://erp.example/hooks")
    own = subscribe(api, mine.headers(), "https://mill-1.example/hooks")
    subscribe(api, other.headers(), "https://mill-2.example/hooks")
    assert own["secret"].startswith("whsec_") and own["event_types"][0].startswith("Asn")
    assert "secret" not in api.client.get(ENDPOINTS, headers=mine.headers()).json()["endpoints"][0]
    with api.hub.uow(write=False) as uow:  # kept sealed by the vault, never in the clear
        stored = uow.connection.execute(select(WebhookEndpoint.secret)).scalars().all()
    assert own["secret"] not in stored and all("whsec_" not in s for s in stored)
    assert {api.hub.vault.open(s)["secret"] for s in stored} >= {own["secret"], brand["secret"]}

    order = sent_order(api, "mill-1", {"TEE-RED-M": 12})
    assert deliver(api) == 2

    assert receiver.to("mill-2.example") == []
    (request,) = receiver.to("mill-1.example")
    event = next(e for e in outbox(api.hub) if e.type == "PurchaseOrderSent")
    assert request.headers["webhook-id"] == str(event.event_id)
    signing.verify(own["secret"], dict(request.headers), request.content, now=int(clock.now().timestamp()))
    body = json.loads(request.content)
    assert body["type"] == "PurchaseOrderSent" and body["data"]["order_id"] == order["id"]
    assert body["data"]["lines"] == [{"sku": "TEE-RED-M", "quantity": 12, "unit_cost": 2500}]
    (to_brand,) = receiver.to("erp.example")
    signing.verify(brand["secret"], dict(to_brand.headers), to_brand.content, now=int(clock.now().timestamp()))
    with pytest.raises(signing.InvalidSignature):
        signing.verify(own["secret"], dict(to_brand.headers), to_brand.content, now=int(clock.now().timestamp()))


def test_an_event_relayed_twice_is_delivered_once(api: Api, receiver: Receiver) -> None:
    mine = add_supplier(api, "mill-1")
    set_terms(api, "mill-1", "TEE-RED-M")
    subscribe(api, mine.headers(), "https://mill-1.example/hooks")
    sent_order(api, "mill-1", {"TEE-RED-M": 12})
    api.hub.relay.run_once()
    row = next(e for e in outbox(api.hub) if e.type == "PurchaseOrderSent")

    api.hub.transport.publish([Envelope(row.event_id, row.tenant_id, row.type, row.body, row.occurred_at)])

    assert sender_of(api).run_once() == 1
    assert len(api.get(DELIVERIES)["deliveries"]) == 1


def test_failures_back_off_park_and_go_again_on_request(api: Api, receiver: Receiver) -> None:
    moving = MovableClock(clock.now())
    mine = add_supplier(api, "mill-1")
    set_terms(api, "mill-1", "TEE-RED-M")
    subscribe(api, mine.headers(), "https://mill-1.example/hooks", event_types=["PurchaseOrderSent"])
    sent_order(api, "mill-1", {"TEE-RED-M": 12})
    receiver.status = 503
    sender = sender_of(api, max_attempts=3)
    with movable_clock(moving.at) as moving:
        fail_three_times_then_retry(api, receiver, mine, sender, moving)


def fail_three_times_then_retry(api: Api, receiver: Receiver, mine, sender: WebhookSender,
                                moving: MovableClock) -> None:
    assert deliver(api, sender) == 0
    (first,) = api.get(DELIVERIES)["deliveries"]
    assert (first["state"], first["attempts"], first["last_error"]) == ("pending", 1, "HTTP 503")
    assert sender.run_once() == 0 and len(receiver.requests) == 1  # not due yet: it waits its back-off
    for _ in (2, 3):
        moving.advance(hours=2)  # past the longest back-off
        sender.run_once()
    moving.advance(hours=2)
    assert sender.run_once() == 0
    (parked,) = api.get(DELIVERIES, state="dead")["deliveries"]
    assert parked["attempts"] == 3 and len(receiver.requests) == 3

    receiver.status = 200
    retried = api.client.post(f"{DELIVERIES}/{parked['id']}/retry", headers=mine.headers())
    assert retried.json() == {"id": parked["id"], "state": "pending"}
    assert sender.run_once() == 1
    assert api.get(DELIVERIES)["deliveries"][0]["state"] == "delivered"
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # the same id every time


def test_a_partner_may_not_subscribe_to_tenant_events_nor_see_others_deliveries(api: Api) -> None:
    mine = add_supplier(api, "mill-1")
    before = (snapshot(api.hub), purchasing_rows(api.hub))

    response = api.client.post(ENDPOINTS, json={"url": "https://mill-1.example/h", "event_types": ["AlertRaised"]},
                               headers=mine.headers())
    viewer = api.client.post(ENDPOINTS, json={"url": "https://x.example/h"}, headers=api.headers("viewer"))

    assert_error(response, 422, "notifications.invalid_event_types")
    assert_error(viewer, 403, "auth.forbidden")
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before


def test_a_disabled_endpoint_gets_nothing_and_only_its_owner_may_disable_it(api: Api, receiver: Receiver) -> None:
    mine, other = add_supplier(api, "mill-1"), add_supplier(api, "mill-2")
    set_terms(api, "mill-1", "TEE-RED-M")
    endpoint = subscribe(api, mine.headers(), "https://mill-1.example/hooks")
    before = (snapshot(api.hub), purchasing_rows(api.hub))
    refused = api.client.post(f"{ENDPOINTS}/{endpoint['id']}/disable", headers=other.headers())
    assert_error(refused, 404, "notifications.unknown_endpoint")
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before

    disabled = api.client.post(f"{ENDPOINTS}/{endpoint['id']}/disable", headers=mine.headers())
    sent_order(api, "mill-1", {"TEE-RED-M": 12})

    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert deliver(api) == 0 and receiver.requests == []


def sealed_secrets(api: Api) -> list[str]:
    with api.hub.uow(write=False) as uow:
        return sorted(uow.connection.execute(select(WebhookEndpoint.secret)).scalars())


def test_a_rotated_secret_signs_every_attempt_from_then_on_and_the_old_one_none(api: Api, receiver: Receiver) -> None:
    mine, other = add_supplier(api, "mill-1"), add_supplier(api, "mill-2")
    set_terms(api, "mill-1", "TEE-RED-M")
    endpoint = subscribe(api, mine.headers(), "https://mill-1.example/hooks")
    before = (snapshot(api.hub), purchasing_rows(api.hub), sealed_secrets(api))
    refused = api.client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate-secret", headers=other.headers())
    assert_error(refused, 404, "notifications.unknown_endpoint")
    assert (snapshot(api.hub), purchasing_rows(api.hub), sealed_secrets(api)) == before

    rotated = api.client.post(f"{ENDPOINTS}/{endpoint['id']}/rotate-secret", headers=mine.headers())
    sent_order(api, "mill-1", {"TEE-RED-M": 12})

    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != endpoint["secret"]
    assert all("whsec_" not in s for s in sealed_secrets(api))  # sealed by the vault, as at creation
    assert "secret" not in api.client.get(ENDPOINTS, headers=mine.headers()).json()["endpoints"][0]
    assert deliver(api) == 1
    (request,) = receiver.to("mill-1.example")
    now = int(clock.now().timestamp())
    signing.verify(new, dict(request.headers), request.content, now=now)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(endpoint["secret"], dict(request.headers), request.content, now=now)
    assert [a.action for a in audit(api.hub) if a.action.startswith("webhook_endpoint.")][-1] == (
        "webhook_endpoint.rotate_secret")


def test_a_deleted_endpoint_goes_with_its_deliveries_and_only_its_owner_may_delete_it(api: Api,
                                                                                       receiver: Receiver) -> None:
    mine, other = add_supplier(api, "mill-1"), add_supplier(api, "mill-2")
    set_terms(api, "mill-1", "TEE-RED-M")
    endpoint = subscribe(api, mine.headers(), "https://mill-1.example/hooks")
    receiver.status = 503
    sent_order(api, "mill-1", {"TEE-RED-M": 12})
    assert deliver(api) == 0  # one delivery waiting for its next try
    before = (snapshot(api.hub), purchasing_rows(api.hub))
    refused = api.client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=other.headers())
    viewer = api.client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=api.headers("viewer"))
    assert_error(refused, 404, "notifications.unknown_endpoint")
    assert_error(viewer, 403, "auth.forbidden")
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before

    deleted = api.client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=mine.headers())
    receiver.status = 204
    sent_order(api, "mill-1", {"TEE-RED-M": 6})

    assert deleted.json() == {"id": endpoint["id"], "deleted": True, "deliveries": 1}
    assert api.client.get(ENDPOINTS, headers=mine.headers()).json()["endpoints"] == []
    assert api.get(DELIVERIES)["deliveries"] == []
    assert deliver(api) == 0 and len(receiver.requests) == 1  # only the first, failed try ever went out
    assert api.client.delete(f"{ENDPOINTS}/{endpoint['id']}", headers=mine.headers()).status_code == 404
    assert "webhook_endpoint.delete" in {a.action for a in audit(api.hub)}

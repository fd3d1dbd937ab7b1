"""Webhook endpoints refuse private and local targets (server-side request forgery) unless the tenant's admin
allows them with `"allow_private": true`; a refusal writes nothing, and a name that turns private later is not
posted to."""

from collections.abc import Iterator

import httpx2
import pytest

from flexhub.integrations import targets
from flexhub.notifications.delivery import WebhookSender
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.purchasing import add_supplier, sent_order, set_terms, stock_for_purchasing
from flexhub.testing.snapshots import snapshot

ENDPOINTS = "/api/v1/notifications/endpoints"


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        stock_for_purchasing(api, skus=("TEE-RED-M",))
        yield api


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://169.254.169.254/latest", "http://[::1]/x"])
@pytest.mark.parametrize("role", ["admin", "operator", "partner"])
def test_a_local_target_is_422_and_nothing_is_written(api: Api, url: str, role: str) -> None:
    before = snapshot(api.hub)

    response = api.client.post(ENDPOINTS, json={"url": url}, headers=api.headers(role))

    assert_error(response, 403 if role == "operator" else 422,
                 "auth.forbidden" if role == "operator" else "integrations.unsafe_target")
    assert snapshot(api.hub) == before


def test_only_the_tenants_admin_may_allow_a_private_target(api: Api) -> None:
    supplier = add_supplier(api, "mill-1")
    before = snapshot(api.hub)

    refused = api.client.post(ENDPOINTS, json={"url": "http://10.0.0.5/hook", "allow_private": True},
                              headers=supplier.headers())

    assert_error(refused, 403, "auth.forbidden")
    assert snapshot(api.hub) == before
    created = api.post(ENDPOINTS, {"url": "http://10.0.0.5/hook", "allow_private": True})
    assert created["allow_private"] is True
    assert api.get(ENDPOINTS)["endpoints"][0]["allow_private"] is True


def test_a_name_that_resolves_privately_at_delivery_is_not_posted_to_and_parks(api: Api, monkeypatch) -> None:
    posted: list[httpx2.Request] = []
    api.hub.http = httpx2.Client(transport=httpx2.MockTransport(lambda r: posted.append(r) or httpx2.Response(204)))
    supplier = add_supplier(api, "mill-1")
    set_terms(api, "mill-1", "TEE-RED-M")
    monkeypatch.setattr(targets, "resolve", lambda host: ["93.184.216.34"])
    created = api.client.post(ENDPOINTS, json={"url": "https://mill-1.example/hooks"}, headers=supplier.headers())
    assert created.status_code == 201, created.text
    sent_order(api, "mill-1", {"TEE-RED-M": 3})
    monkeypatch.setattr(targets, "resolve", lambda host: ["127.0.0.1"])  # the name was re-pointed meanwhile

    api.hub.relay.run_once()

    assert WebhookSender(api.hub.uow, http=api.hub.http, vault=api.hub.vault).run_once() == 0
    assert posted == []
    [parked] = api.get("/api/v1/notifications/deliveries", state="dead")["deliveries"]
    assert "private or local address" in parked["last_error"]

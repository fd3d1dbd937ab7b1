"""Every sandbox store: a stock update signed by flexhub's own adapter is recorded with its time, one
signed with the wrong secret is refused and changes nothing, and calls past the platform's limit get 429."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from tests.sandbox.conftest import send

from flexhub.channels.adapter import StockPush
from flexhub.channels.registry import adapter_for
from flexhub.kernel import clock
from flexhub.sandbox.platforms import NAMES
from flexhub.sandbox.store import Store

# The credential each platform checks a call against: replaced by a wrong one, the call must fail.
SECRET = {"generic": "webhook_secret", "shopify": "access_token", "woocommerce": "consumer_secret",
          "shopee": "partner_key", "taobao": "app_secret", "douyin": "app_secret", "wechat": "access_token",
          "amazon": "access_token", "jd": "app_secret", "kuaishou": "sign_secret", "ebay": "access_token"}


def pushes(store: Store, quantity: int) -> list[StockPush]:
    return [StockPush(listing.sku, quantity + n, external_item_id=listing.item_id, location_id=listing.location_id,
                      previous_quantity=listing.quantity, idempotency_key=f"{store.code}:{listing.sku}:{quantity}")
            for n, listing in enumerate(store.listings.values())]


def refused(platform: str, response: httpx2.Response) -> bool:
    """A platform refuses with an HTTP error, or (TOP, JD, Douyin, WeChat, Kuaishou, Shopify's GraphQL)
    with a 200 whose body says so, which the adapter reads."""
    reader = getattr(adapter_for(platform), "response_error", None)
    return response.status_code >= 400 or bool(reader and reader(response.json()))


@pytest.mark.parametrize("platform", NAMES)
def test_a_signed_stock_update_is_recorded_with_its_time(platform: str, open_store: Callable, client) -> None:
    store = open_store(platform)
    before = clock.now()
    for request in adapter_for(platform).stock_requests(store.credentials, pushes(store, 7)):
        response = send(client, request)
        assert response.status_code == 200, response.text
        assert not refused(platform, response), response.text

    assert {sku: listing.quantity for sku, listing in store.listings.items()} == {
        "TEE-RED-M": 7, "TEE-RED-L": 8, "TEE-BLUE-M": 9}
    assert sorted((f.sku, f.quantity) for f in store.figures) == [("TEE-BLUE-M", 9), ("TEE-RED-L", 8), ("TEE-RED-M", 7)]
    assert all(before <= figure.at <= clock.now() for figure in store.figures)
    assert all(entry.status == 200 for entry in store.log)


@pytest.mark.parametrize("platform", NAMES)
def test_a_call_with_a_wrong_secret_is_refused_and_changes_nothing(platform: str, open_store: Callable,
                                                                    client) -> None:
    store = open_store(platform)
    wrong = {**store.credentials, SECRET[platform]: "0123456789abcdef0123456789abcdef"}
    if platform == "kuaishou":
        wrong["sign_secret"] = "another-secret"
    for request in adapter_for(platform).stock_requests(wrong, pushes(store, 7)):
        assert refused(platform, send(client, request))

    assert {listing.quantity for listing in store.listings.values()} == {5}
    assert store.figures == []
    assert len(store.log) >= 1


@pytest.mark.parametrize("platform", NAMES)
def test_calls_past_the_platforms_limit_are_answered_429(platform: str, open_store: Callable, client) -> None:
    store = open_store(platform)
    adapter = adapter_for(platform)
    request = adapter.stock_requests(store.credentials, pushes(store, 7)[:1])[0]
    send(client, request)
    operation = store.log[-1].operation
    bucket = store.buckets[operation]
    started, answered = time.monotonic(), []
    with ThreadPoolExecutor(max_workers=8) as callers:  # faster than the fastest platform's rate
        while len(answered) < 20 * bucket.capacity and 429 not in answered:
            answered += [r.status_code for r in callers.map(lambda _: send(client, request), range(16))]
    elapsed = time.monotonic() - started

    assert 429 in answered, f"{len(answered)} calls and no 429"
    cost = store.platform.cost(operation, None)
    allowed = (bucket.capacity + bucket.rate * elapsed) / cost  # what the documented bucket lets through
    assert 1 + answered.count(200) <= allowed + 1
    assert store.throttled == answered.count(429)

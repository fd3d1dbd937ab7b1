"""The public shopper pages (add to a cart, check out) need no sign-in, so each client address may write through them
only so often: past its bucket a request is refused 429 `stores.too_many_requests` with Retry-After, before anything
is read or written; another address is not held back."""

from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from flexhub.stores.throttle import ShopperLimits
from flexhub.testing.api_client import Api
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.stores import STORE, open_store, pay_offline, shelf

PER_MINUTE = 3


def add(client: TestClient, path: str, sku: str, tag: str) -> object:
    return client.post(f"{path}/cart/items", follow_redirects=False, data={"sku": sku, "k": tag, "mode": "take"})


def test_a_client_past_its_limit_is_refused_429_with_retry_after_and_nothing_written(api: Api) -> None:
    open_store(api)
    pay_offline(api)
    api.client.app.state.shopper_limits = ShopperLimits(api.hub.engine, per_minute=PER_MINUTE)  # type: ignore[attr-defined]
    url = urlsplit(api.get(shelf(STORE))["url"])
    store, tag = url.path.rsplit("/", 1)[0], parse_qs(url.query)["k"][0]
    answers = [add(api.client, store, "TEE-RED-M", tag) for _ in range(PER_MINUTE)]
    assert [a.status_code for a in answers] == [303] * PER_MINUTE  # type: ignore[attr-defined]
    cart = parse_qs(urlsplit(answers[-1].headers["location"]).query)["c"][0]  # type: ignore[attr-defined]

    api.hub.relay.run_once()
    before = fingerprint(api.hub.engine)
    refused = [add(api.client, store, "TEE-RED-M", tag),
               api.client.post(f"{store}/cart/checkout", follow_redirects=False,
                               data={"c": cart, "name": "李雷", "phone": "13900000001"})]
    for answer in refused:
        assert answer.status_code == 429  # type: ignore[attr-defined]
        assert 'data-code="stores.too_many_requests"' in answer.text  # type: ignore[attr-defined]
        assert 1 <= int(answer.headers["Retry-After"]) <= 60 // PER_MINUTE  # type: ignore[attr-defined]
    assert fingerprint(api.hub.engine) == before  # no order, no sale, no hold

    with TestClient(api.client.app, client=("203.0.113.9", 50000)) as other:  # another phone
        assert add(other, store, "TEE-RED-M", tag).status_code == 303  # type: ignore[attr-defined]

"""What the sandbox stores emit reads as flexhub's adapters expect: each order document parses to the
order placed, and each webhook verifies with the channel's credentials (and not once tampered with)."""

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest
from httpx2 import Headers

from flexhub.channels.adapter import ChannelOrder, OrderReference
from flexhub.channels.registry import adapter_for
from flexhub.integrations.signing import SignatureInvalid
from flexhub.sandbox.market import Market
from flexhub.sandbox.platform import Webhook
from flexhub.sandbox.platforms import NAMES, platform

PUSHING = [name for name in NAMES if platform(name).pushes_orders]


@pytest.mark.parametrize("name", NAMES)
def test_an_order_document_parses_to_the_order_placed(name: str, market: Market, open_store: Callable) -> None:
    store = open_store(name)
    order = market.place_order(store, {"TEE-RED-L": 2})

    parsed = adapter_for(name).parse_order(store.platform.document(store, order))

    assert (parsed.external_id, parsed.status) == (order.external_id, "paid")
    assert [(line.external_sku, line.quantity, line.unit_price) for line in parsed.lines] == [("TEE-RED-L", 2, 9900)]
    assert store.listing("TEE-RED-L").quantity == 3  # the store took the units off as it sold them


def test_a_store_refuses_what_its_listing_does_not_show(market: Market, open_store: Callable) -> None:
    store = open_store("shopify", quantity=1)
    assert market.place_order(store, {"TEE-RED-M": 2}) is None
    assert (store.listing("TEE-RED-M").quantity, store.refused, store.orders) == (1, 1, {})


@pytest.mark.parametrize("name", PUSHING)
def test_an_order_webhook_verifies_and_names_the_order(name: str, market: Market, open_store: Callable) -> None:
    store = open_store(name)
    order = market.place_order(store, {"TEE-RED-M": 1})
    adapter, webhook = adapter_for(name), store.platform.webhook(store, order)

    body = _opened(adapter, store.credentials, webhook)
    [item] = adapter.parse_webhook(_signals(webhook), body)

    assert isinstance(item, ChannelOrder | OrderReference) and item.external_id == order.external_id
    assert webhook.path.startswith(f"/webhooks/{name}/{store.code}")


@pytest.mark.parametrize("name", PUSHING)
def test_a_tampered_webhook_does_not_verify(name: str, market: Market, open_store: Callable) -> None:
    store = open_store(name)
    webhook = store.platform.webhook(store, market.place_order(store, {"TEE-RED-M": 1}))
    changed = b"1" if webhook.body[-2:-1] == b"0" else b"0"  # always a different byte than the one it replaces
    tampered = Webhook(webhook.path, webhook.headers, webhook.body[:-2] + changed + webhook.body[-1:])

    with pytest.raises((SignatureInvalid, ValueError)):
        _opened(adapter_for(name), store.credentials, tampered)


def _signals(webhook: Webhook) -> Headers:
    """What the hub hands an adapter: the query's parameters beside the headers (WeChat signs in the query)."""
    return Headers({**dict(parse_qsl(urlsplit(webhook.path).query)), **webhook.headers})


def _opened(adapter, credentials: dict, webhook: Webhook) -> bytes:  # type: ignore[no-untyped-def]
    adapter.verify_webhook(credentials, _signals(webhook), webhook.body)
    opener = getattr(adapter, "open_webhook", None)
    return opener(credentials, _signals(webhook), webhook.body) if opener else webhook.body

"""The order page of an order whose push only named it (here a sandbox Shopee store): the raw payload shown
is the order as the hub fetched it from the platform, not the push; masked for a viewer as any payload is."""

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from flexhub.channels import inbound
from flexhub.channels.model import Channel
from flexhub.kernel import clock
from flexhub.ordering.model import Order
from flexhub.sandbox.app import create_app
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.testing.api_client import Api


@pytest.fixture
def fetched(shop: Api) -> Iterator[tuple[Api, str]]:
    """Order 1 of sandbox Shopee store `sp`, pushed by name only and imported; its order id."""
    market = Market(hub_url="http://127.0.0.1:9")
    with served(create_app(market)) as url:
        market.base_url = url
        store = market.open_store("shopee", "sp", ["TEE-RED-M"], quantity=5, sells=False)
        connect(shop.hub, shop.tenant.admin, store)
        placed = store.sell(1, store.platform.order_id(1), {"TEE-RED-M": 1}, clock.now())
        webhook = store.platform.webhook(store, placed)
        with shop.hub.uow(write=False) as uow:
            channel = uow.connection.execute(select(Channel).where(Channel.code == "sp")).one()
        inbound.keep(shop.hub, channel, "webhook", webhook.headers, webhook.body.decode())
        inbound.process_pending(shop.hub)
        with shop.hub.uow(write=False) as uow:
            order_id = uow.connection.execute(select(Order.id).where(Order.external_id == placed.external_id)).scalar()
        yield shop, str(order_id)
    market.close()


def login(api: Api, role: str) -> None:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303


def shown(page: str) -> dict:
    return json.loads(page.split('<pre class="payload">')[1].split("</pre>")[0].replace("&#34;", '"'))


def test_the_order_page_shows_the_fetched_order_not_the_push(fetched: tuple[Api, str]) -> None:
    api, order_id = fetched
    login(api, "operator")

    page = api.client.get(f"/orders/{order_id}").text

    assert page.count('<pre class="payload">') == 1 and "<summary>fetch ·" in page
    payload = shown(page)
    assert payload["item_list"][0]["model_sku"] == "TEE-RED-M"
    assert payload["recipient_address"]["phone"] == "13800138000"
    assert "ordersn" not in payload  # the push's own field: the push is not what is shown


def test_a_viewer_sees_the_fetched_order_masked(fetched: tuple[Api, str]) -> None:
    api, order_id = fetched
    login(api, "viewer")

    page = api.client.get(f"/orders/{order_id}").text

    assert "13800138000" not in page and 'data-masked="true"' in page
    assert shown(page)["item_list"][0]["model_sku"] == "TEE-RED-M"

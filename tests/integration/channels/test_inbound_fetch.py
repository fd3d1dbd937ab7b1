"""Pushes that only name an order, on each backend, against a sandbox Shopee store: the turn's orders are
fetched in as few detail calls as the platform takes, paced by the channel's bucket; a 429 leaves the push
pending (no exception, other channels untouched) until a later turn imports it; and what was fetched is
kept as a message of its own, the one the order page shows."""

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
import stamina
from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.channels import inbound
from flexhub.channels import queries as dashboard
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel, ChannelException, InboundMessage
from flexhub.channels.platforms.shopee import DETAIL_BATCH, ORDER_DETAIL
from flexhub.integrations.ratelimit import RateLimit, TokenBucket
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.sandbox.app import create_app
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.store import Store
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, order_body, receive
from flexhub.testing.hubs import running_hub

SKU = "TEE-RED-M"


@pytest.fixture(autouse=True)
def tried_once() -> Iterator[None]:
    stamina.set_testing(True, attempts=1)  # a 429 is not waited out five times in a test
    yield
    stamina.set_testing(False)


@pytest.fixture
def shop(database_url: str) -> Iterator[tuple[Hub, Actor, Store]]:
    """A hub with 500 units of TEE-RED-M, a sandbox Shopee store listing it and a generic store beside it."""
    market = Market(hub_url="http://127.0.0.1:9")  # webhooks are kept by the test, never delivered
    with served(create_app(market)) as url, running_hub(database_url) as hub:
        market.base_url = url
        admin = create_tenant(hub)
        create_sku(hub, admin, SKU)
        create_location(hub, admin, "WH-CENTRAL")
        receive(hub, admin, SKU, "WH-CENTRAL", 500)
        store = market.open_store("shopee", "sp", [SKU], quantity=500, sells=False)
        connect(hub, admin, store)
        create_channel(hub, admin, "site")
        hub.handle(CreateListing(actor=admin, channel="site", external_sku="site-TEE", sku=SKU))
        yield hub, admin, store
    market.close()


def push(hub: Hub, store: Store, count: int) -> list[str]:
    """`count` orders placed in the store, each one's push (which names it only) kept by the hub."""
    placed = []
    for number in range(1, count + 1):
        order = store.sell(number, store.platform.order_id(number), {SKU: 1}, clock.now())
        webhook = store.platform.webhook(store, order)
        inbound.keep(hub, channel(hub, store.code), "webhook", webhook.headers, webhook.body.decode())
        placed.append(order.external_id)
    return placed


def channel(hub: Hub, code: str) -> Any:
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(Channel).where(Channel.code == code)).one()


def detail_calls(store: Store) -> list[Any]:
    return [entry for entry in store.log if entry.path.endswith(ORDER_DETAIL)]


def messages(hub: Hub) -> list[Any]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(InboundMessage).order_by(InboundMessage.received_at)))


def imported(hub: Hub) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {row.external_id: row for row in uow.connection.execute(select(Order))}


def test_a_turn_of_pushes_is_fetched_in_as_few_calls_as_the_platform_takes(
        shop: tuple[Hub, Actor, Store]) -> None:
    hub, _, store = shop
    placed = push(hub, store, 120)
    webhook = store.platform.webhook(store, store.orders[placed[0]])  # a redelivery: the same order named twice
    inbound.keep(hub, channel(hub, "sp"), "webhook", webhook.headers, webhook.body.decode())

    inbound.process_pending(hub)

    assert len(detail_calls(store)) == math.ceil(120 / DETAIL_BATCH) == 3
    assert set(imported(hub)) == set(placed)
    kept = messages(hub)
    assert {m.state for m in kept} == {"done"}
    assert sorted(json.loads(m.body)["order_sn"] for m in kept if m.source == "fetch") == sorted(placed)
    assert hub.pusher.rate_limited == 0


def test_a_429_leaves_the_push_pending_without_holding_up_another_channel_then_it_imports(
        shop: tuple[Hub, Actor, Store]) -> None:
    hub, _, store = shop
    opened = store.buckets["order"]
    store.buckets["order"] = TokenBucket(RateLimit(per_second=0.001, burst=1))
    store.buckets["order"].take(1)  # the store's order calls are spent: it answers 429
    [external_id] = push(hub, store, 1)
    inbound.keep(hub, channel(hub, "site"), "webhook", {}, json.dumps(order_body(
        "SITE-1", lines=[{"sku": "site-TEE", "quantity": 1, "unit_price": 9900}])))

    inbound.process_pending(hub)

    assert store.throttled == 1 and hub.pusher.rate_limited == 1
    assert set(imported(hub)) == {"SITE-1"}  # the other channel's order did not wait
    assert [(m.source, m.state) for m in messages(hub)] == [("webhook", "pending"), ("webhook", "done")]
    with hub.uow(write=False) as uow:
        assert uow.connection.execute(select(ChannelException)).all() == []  # nothing for a person

    store.buckets["order"] = opened
    inbound.process_pending(hub)

    assert set(imported(hub)) == {"SITE-1", external_id}
    assert sorted((m.source, m.state) for m in messages(hub)) == [("fetch", "done"), ("webhook", "done"),
                                                                   ("webhook", "done")]


def test_the_order_page_shows_the_order_as_fetched_not_the_push_naming_it(shop: tuple[Hub, Actor, Store]) -> None:
    hub, admin, store = shop
    [external_id] = push(hub, store, 1)
    inbound.process_pending(hub)

    order = imported(hub)[external_id]
    with hub.uow(write=False) as uow:
        [shown] = dashboard.inbound_messages_of(uow.connection, admin.tenant_id, order.id)
    body = json.loads(shown["body"])
    assert shown["source"] == "fetch"
    assert body["order_sn"] == external_id and body["item_list"][0]["model_sku"] == SKU
    [push_message] = [m for m in messages(hub) if m.source == "webhook"]
    assert [m.headers["x-flexhub-pushes"] for m in messages(hub) if m.source == "fetch"] == [str(push_message.id)]

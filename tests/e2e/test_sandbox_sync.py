"""End to end through the sandbox, on SQLite and PostgreSQL: an order placed in one marketplace store is
imported once (a redelivered webhook too), reserves stock, and every other store ends up showing the
new figure.

Every sandbox platform has a store listing one SKU. Orders come from
Shopify (the order in a signed webhook), WeChat (an encrypted push naming the order) and Douyin (a
signed push naming it), which the hub fetches, and Taobao and eBay (polled); Amazon only receives stock, its
orders surfacing minutes late.
"""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from flexhub.channels.model import Channel, InboundMessage
from flexhub.ordering.queries import list_orders, order_view
from flexhub.sandbox.platforms import available
from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.sandbox.stage import every_store_shows as shows
from flexhub.testing.builders import create_location, create_sku, receive

SKU = "TEE-RED-M"
SELLERS = [("shopify", 2), ("wechat", 1), ("taobao", 3), ("douyin", 1), ("ebay", 1)]
# Every platform, Kuaishou too: it takes stock by differences, from a count the hub reads first.
PLATFORMS = available()


@pytest.fixture
def stage(database_url: str) -> Iterator[Stage]:
    # Every store must show the pool's figure exactly: no units held back for quick sales (spike guard off).
    with staged(database_url, push_interval_s=0.2, hold_back_quantile=0) as stage:
        create_sku(stage.hub, stage.admin, SKU)
        create_location(stage.hub, stage.admin, "WH-CENTRAL")
        for platform in PLATFORMS:
            stage.open(platform, f"{platform}-shop", [SKU], sells=platform != "amazon")
        receive(stage.hub, stage.admin, SKU, "WH-CENTRAL", 20)
        every_store_shows(stage, 20)
        yield stage


def test_an_order_in_any_store_is_kept_once_reserves_and_every_store_shows_the_new_figure(stage: Stage) -> None:
    shown = 20
    for platform, quantity in SELLERS:
        store = stage.market.store(platform, f"{platform}-shop")
        order = stage.market.place_order(store, {SKU: quantity})
        shown -= quantity
        assert store.listing(SKU).quantity == shown  # the store takes the units off at once, as marketplaces do
        imported = wait_until(lambda: orders(stage, store.code, order.external_id))  # noqa: B023
        assert len(imported) == 1 and imported[0]["status"] in ("reserved", "routed")  # routing may follow at once
        assert reserved(stage, imported[0]["id"]) == {SKU: quantity}
        every_store_shows(stage, shown)

    assert stage.hub.pusher.rate_limited == 0
    assert sum(store.throttled for store in stage.market.stores.values()) == 0


def test_a_webhook_delivered_twice_is_one_order(stage: Stage) -> None:
    shopify = stage.market.store("shopify", "shopify-shop")
    order = stage.market.place_order(shopify, {SKU: 2})
    wait_until(lambda: orders(stage, "shopify-shop", order.external_id))
    stage.market.resend(shopify, order.external_id)  # the platform redelivers

    wait_until(lambda: settled_messages(stage, "shopify-shop") == 2)
    assert len(orders(stage, "shopify-shop", order.external_id)) == 1
    every_store_shows(stage, 18)


def test_a_pusher_that_lost_its_lease_sends_nothing_and_kuaishou_counts_each_difference_once(stage: Stage) -> None:
    kuaishou = stage.market.store("kuaishou", "kuaishou-shop")
    stage.hub.pusher.holds_lease = lambda: False  # another process holds the stock-push lease now
    receive(stage.hub, stage.admin, SKU, "WH-CENTRAL", 5)
    with pytest.raises(AssertionError):
        shows(stage, SKU, 25, timeout_s=2.0)
    assert kuaishou.listing(SKU).quantity == 20 and not any(
        s.listing(SKU).quantity == 25 for s in stage.market.stores.values())

    stage.hub.pusher.holds_lease = lambda: True  # the lease is back: the figure goes out, the difference once
    every_store_shows(stage, 25)


def orders(stage: Stage, channel: str, external_id: str) -> list[dict]:
    with stage.hub.uow(write=False) as uow:
        return list_orders(uow.connection, stage.admin.tenant_id, channel=channel, external_id=external_id)


def reserved(stage: Stage, order_id: str) -> dict[str, int]:
    with stage.hub.uow(write=False) as uow:
        view = order_view(uow.connection, stage.admin.tenant_id, uuid.UUID(order_id))
    return {r["sku"]: r["quantity"] for r in view["reservations"]}


def settled_messages(stage: Stage, channel: str) -> int:
    query = (select(func.count()).select_from(InboundMessage).join(Channel, Channel.id == InboundMessage.channel_id)
             .where(Channel.code == channel, InboundMessage.state == "done"))
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(query).scalar()


def every_store_shows(stage: Stage, quantity: int) -> None:
    shows(stage, SKU, quantity)

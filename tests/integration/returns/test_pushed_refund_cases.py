"""Refund cases a push only names, on each backend, against sandbox Taobao and Douyin stores: the message is kept, the
case fetched with taobao.refund.get (paced like every detail call) and kept raw, and a case whose goods come
back opens exactly one RMA for its order, however often the message comes; a refund without goods back opens
none, and a case naming an SKU without a listing becomes a channel exception."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from flexhub.bootstrap import Hub
from flexhub.channels import inbound
from flexhub.channels.model import Channel, ChannelException, InboundMessage
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.ordering.model import Order
from flexhub.returns.model import Return, ReturnLine
from flexhub.sandbox.app import create_app
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.platforms.douyin_aftersale import open_case
from flexhub.sandbox.platforms.taobao_refunds import open_refund
from flexhub.sandbox.server import served
from flexhub.sandbox.store import Store
from flexhub.testing.builders import create_location, create_sku, create_tenant, receive
from flexhub.testing.hubs import running_hub

SKU = "TEE-RED-M"


@pytest.fixture
def shop(database_url: str) -> Iterator[tuple[Hub, Actor, Store]]:
    market = Market(hub_url="http://127.0.0.1:9")  # TMC messages are handed over by the test
    with served(create_app(market)) as url, running_hub(database_url) as hub:
        market.base_url = url
        admin = create_tenant(hub)
        create_sku(hub, admin, SKU)
        create_location(hub, admin, "WH-CENTRAL")
        receive(hub, admin, SKU, "WH-CENTRAL", 50)
        store = market.open_store("taobao", "tb", [SKU], quantity=50, sells=False)
        connect(hub, admin, store)
        yield hub, admin, store
    market.close()


def hand_over(hub: Hub, message: dict[str, Any]) -> None:
    """As the TMC consumer does: the message kept for the channel, then a turn of the inbound job."""
    with hub.uow(write=False) as uow:
        channel = uow.connection.execute(select(Channel).where(Channel.code == "tb")).one()
    inbound.keep(hub, channel, "webhook", {}, json.dumps(message, ensure_ascii=False))
    inbound.process_pending(hub)


def sold(hub: Hub, store: Store, number: int) -> Any:
    order = store.sell(number, store.platform.order_id(number), {SKU: 2}, clock.now())
    hand_over(hub, {"topic": "taobao_trade_TradeBuyerPay", "content": json.dumps({"tid": int(order.external_id)})})
    return order


def rows(hub: Hub, model: Any) -> list[Any]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(model)))


def test_a_pushed_refund_case_with_goods_back_opens_exactly_one_rma(shop: tuple[Hub, Actor, Store]) -> None:
    hub, _, store = shop
    order = sold(hub, store, 1)
    message = open_refund(store, order, units=1)

    hand_over(hub, message)
    hand_over(hub, message)  # TMC delivers at least once

    [rma] = rows(hub, Return)
    [imported] = [o for o in rows(hub, Order) if o.external_id == order.external_id]
    assert (rma.source, rma.external_id, rma.order_id) == ("tb", str(int(order.external_id) * 100 + 1), imported.id)
    assert [(line.quantity,) for line in rows(hub, ReturnLine)] == [(1,)]
    kept = rows(hub, InboundMessage)
    assert {m.state for m in kept} == {"done"}
    cases = [json.loads(m.body) for m in kept if m.headers.get("x-flexhub-fetched") == "return"]
    assert [case["has_good_return"] for case in cases] == [True, True]  # each fetch kept raw
    assert rows(hub, ChannelException) == []


def test_a_refund_without_goods_back_opens_no_rma(shop: tuple[Hub, Actor, Store]) -> None:
    hub, _, store = shop
    order = sold(hub, store, 2)
    hand_over(hub, open_refund(store, order, goods_back=False))
    assert rows(hub, Return) == [] and rows(hub, ChannelException) == []
    assert {m.state for m in rows(hub, InboundMessage)} == {"done"}


def test_a_case_naming_an_unlisted_sku_is_a_channel_exception_and_no_rma(shop: tuple[Hub, Actor, Store]) -> None:
    hub, _, store = shop
    order = sold(hub, store, 3)
    message = open_refund(store, order)
    store.refunds[str(json.loads(message["content"])["refund_id"])]["outer_id"] = "NOT-LISTED"
    hand_over(hub, message)
    assert rows(hub, Return) == []
    assert [(e.kind, e.external_id) for e in rows(hub, ChannelException)] == [
        ("returns.unmapped_sku", str(int(order.external_id) * 100 + 1))]


@pytest.fixture
def douyin(database_url: str) -> Iterator[tuple[Hub, Store]]:
    market = Market(hub_url="http://127.0.0.1:9")  # pushes are kept by the test, as the webhook endpoint would
    with served(create_app(market)) as url, running_hub(database_url) as hub:
        market.base_url = url
        admin = create_tenant(hub)
        create_sku(hub, admin, SKU)
        create_location(hub, admin, "WH-CENTRAL")
        receive(hub, admin, SKU, "WH-CENTRAL", 50)
        store = market.open_store("douyin", "dy", [SKU], quantity=50, sells=False)
        connect(hub, admin, store)
        yield hub, store
    market.close()


def pushed(hub: Hub, webhook: Any) -> None:
    with hub.uow(write=False) as uow:
        channel = uow.connection.execute(select(Channel).where(Channel.code == "dy")).one()
    inbound.keep(hub, channel, "webhook", webhook.headers, webhook.body.decode())
    inbound.process_pending(hub)


@pytest.mark.parametrize("goods_back", [True, False])
def test_a_douyin_after_sale_push_opens_one_rma_only_when_goods_come_back(
        douyin: tuple[Hub, Store], goods_back: bool) -> None:
    hub, store = douyin
    order = store.sell(1, store.platform.order_id(1), {SKU: 2}, clock.now())
    pushed(hub, store.platform.webhook(store, order))
    case = open_case(store, order, units=1, goods_back=goods_back)

    pushed(hub, case)
    pushed(hub, case)  # pushes come at least once

    [imported] = [o for o in rows(hub, Order) if o.external_id == order.external_id]
    opened = rows(hub, Return)
    if goods_back:
        [rma] = opened
        assert (rma.source, rma.order_id) == ("dy", imported.id)
        assert [line.quantity for line in rows(hub, ReturnLine)] == [1]
    else:
        assert opened == []
    assert {m.state for m in rows(hub, InboundMessage)} == {"done"} and rows(hub, ChannelException) == []

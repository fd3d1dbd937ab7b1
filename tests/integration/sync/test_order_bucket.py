"""A platform that counts order calls apart from stock calls (capability order_limit: TOP, WeChat, Shopee, Douyin,
Kuaishou) gets a bucket of its own for them: a flash sale's order details no longer eat the budget its stock pushes
need (in bench sync, Taobao's pushes had a third of their budget left while its trades were fetched). A platform
with one limit for all its calls keeps one bucket."""

from typing import Any

from sqlalchemy import select
from tests.integration.sync.test_push_order import stores_listing

from flexhub.channels import adapter_for
from flexhub.channels.model import Channel


def test_order_calls_spend_their_own_bucket_where_the_platform_counts_them_apart(database_url: str) -> None:
    with stores_listing(database_url, {"taobao": ["T-1"], "woocommerce": ["W-1"]}) as (hub, _stores):
        taobao, woocommerce = channel(hub, "taobao"), channel(hub, "woocommerce")
        stock, orders = hub.pusher.bucket(taobao, adapter_for("taobao")), \
            hub.pusher.order_bucket(taobao, adapter_for("taobao"))

        assert orders is not stock and orders.key.endswith(":orders")
        assert orders.take_up_to(100) == 9  # TOP's trade calls: 10 at once, paced at 0.9
        assert stock.tokens() == stock.capacity  # the stock pushes' budget is whole
        assert hub.pusher.order_bucket(woocommerce, adapter_for("woocommerce")) is \
            hub.pusher.bucket(woocommerce, adapter_for("woocommerce"))  # one limit for all its calls


def channel(hub: Any, platform: str) -> Any:
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(Channel.id).where(Channel.platform == platform)).scalar_one()

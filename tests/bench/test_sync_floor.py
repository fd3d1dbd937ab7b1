"""The floor `bench sync` compares its first sync and reconciliation with: the calls the hub's own adapters build
for the listings, against each platform's documented bucket, the slowest channel's."""

import pytest

from flexhub.bench.sync_floor import calls_floor_s, floors, initial_sync_floor_s, reconcile_floor_s
from flexhub.channels import ListingRef
from flexhub.channels.platforms.amazon import AmazonAdapter
from flexhub.integrations.ratelimit import RateLimit
from flexhub.sandbox.market import Market

AMAZON = {"refresh_token": "r", "client_id": "c", "client_secret": "s", "seller_id": "A1", "marketplace_id": "M",
          "access_token": "t"}


def test_calls_beyond_the_burst_go_at_the_rate() -> None:
    assert calls_floor_s(5, RateLimit(5, 5)) == 0
    assert calls_floor_s(205, RateLimit(5, 5)) == 40.0


def test_amazon_patches_a_few_and_feeds_many() -> None:
    few = [ListingRef(f"S{n}") for n in range(200)]
    assert initial_sync_floor_s("amazon", AMAZON, few, lambda _: 3.0) == pytest.approx((200 - 5) / 5)
    many = [ListingRef(f"S{n}") for n in range(AmazonAdapter.feed_threshold)]
    assert initial_sync_floor_s("amazon", AMAZON, many, lambda _: 3.0) == 3.0  # one feed, then its processing
    assert reconcile_floor_s("amazon", AMAZON, many) == pytest.approx((len(many) / 20 - 5) / 5)  # 20 a search


def test_the_run_waits_for_its_slowest_channel() -> None:
    market = Market(base_url="http://sandbox.test")
    skus = [f"SKU-{n}" for n in range(120)]
    market.open_store("shopify", "fast", skus)
    market.open_store("douyin", "slow", skus)  # one figure a call
    found = floors(list(market.stores.values()), lambda _: 0.0)
    douyin = market.store("douyin", "slow")
    refs = [ListingRef(x.sku, x.item_id, x.location_id) for x in douyin.listings.values()]
    assert found["initial_sync"] == round(initial_sync_floor_s("douyin", douyin.credentials, refs, lambda _: 0.0), 3)
    assert found["initial_sync"] > 0 and found["reconcile"] >= 0

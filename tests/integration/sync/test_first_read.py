"""A store's first figures read before they are pushed where reading takes fewer calls (sync.first_read): Amazon
reads 20 SKUs a call and sets one a patch, so a brand connecting an Amazon store that already shows most of the hub's
figures reads its 24 listings in two calls and patches only the three it shows differently; every listing ends
confirmed. A platform whose push carries as many as a read (Shopify) is pushed to without reading."""

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from tests.integration.sync.test_push_order import plant_pushes, stores_listing

from flexhub.channels import adapter_for
from flexhub.channels.model import StockPush
from flexhub.kernel import clock
from flexhub.sandbox.market import Market
from flexhub.sync.first_read import worth_reading


def test_amazons_first_figures_are_read_first_and_only_those_shown_differently_are_patched(
        database_url: str) -> None:
    skus = [f"SKU-{n:02d}" for n in range(24)]
    with stores_listing(database_url, {"amazon": skus}) as (hub, stores):
        store = stores["amazon"]
        for sku, quantity in (("SKU-03", 2), ("SKU-11", 0), ("SKU-20", 9)):  # the brand's figures there, some off
            store.listing(sku).quantity = quantity
        first_figures(hub, dict.fromkeys(skus, 5))

        assert hub.pusher.run_once() == 3

        calls = [entry.operation for entry in store.log if not entry.outbound]
        assert sorted(set(calls)) == ["patchListingsItem", "searchListingsItems"], calls
        assert calls.count("searchListingsItems") == 2 and calls.count("patchListingsItem") == 3
        assert {store.listing(sku).quantity for sku in skus} == {5}
        assert states(hub) == {"synced"}


def test_a_platform_whose_push_carries_as_many_as_a_read_is_pushed_to_without_reading(database_url: str) -> None:
    skus = [f"SKU-{n}" for n in range(5)]
    with stores_listing(database_url, {"shopify": skus}) as (hub, stores):
        first_figures(hub, dict.fromkeys(skus, 5))

        assert hub.pusher.run_once() == 5

        assert [entry.operation for entry in stores["shopify"].log if not entry.outbound] == ["graphql"]
        assert states(hub) == {"synced"}


def first_figures(hub: Any, figures: dict[str, int]) -> None:
    """Each listing's first figure, due now: never pushed nor read."""
    now = clock.now()
    plant_pushes(hub, {sku: {"quantity": quantity, "pushed_quantity": None, "next_attempt_at": now, "changed_at": now,
                             "figure_at": now} for sku, quantity in figures.items()})


def states(hub: Any) -> set[str]:
    with hub.engine.begin() as connection:
        rows: Sequence[str] = connection.execute(select(StockPush.state)).scalars().all()
    return set(rows)


def test_first_figures_enough_for_a_feed_are_not_read_first() -> None:
    """Amazon's 500 first figures go in one JSON_LISTINGS_FEED: reading them first (25 calls) would only add calls."""
    adapter = adapter_for("amazon")
    credentials = market_credentials("amazon")
    assert worth_reading(adapter, credentials, rows_of(24)) and worth_reading(adapter, credentials, rows_of(499))
    assert not worth_reading(adapter, credentials, rows_of(500))


def market_credentials(platform: str) -> dict[str, str]:
    store = Market(base_url="http://sandbox.example").open_store(platform, platform, ["SKU-0"], sells=False)
    return dict(store.credentials)


def rows_of(count: int) -> list[Any]:
    return [SimpleNamespace(listing_id=n, external_sku=f"SKU-{n:04d}", external_item_id=None,
                            external_location_id=None, quantity=5, pushed_quantity=None, sold_since=0, attempts=0,
                            version=1) for n in range(count)]

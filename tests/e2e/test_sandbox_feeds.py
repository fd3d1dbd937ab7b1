"""Amazon's bulk stock through the sandbox, on SQLite and PostgreSQL: a first sync big enough goes as one
JSON_LISTINGS_FEED instead of a patch per SKU; the report's refusals go back to the single calls; a figure that moves
while the feed is processed is set again after it, so the store ends on the newest one.

The feed threshold is lowered to a handful of SKUs (it is 500 in production) and the sandbox processes a feed in
half a second, so the test stays short.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from flexhub.channels.model import Listing, StockFeed, StockPush
from flexhub.channels.platforms.amazon import AmazonAdapter
from flexhub.sandbox.hub import connect
from flexhub.sandbox.platforms import amazon_feeds
from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.sandbox.store import Store
from flexhub.testing.builders import create_location, create_sku, receive

SKUS = [f"SKU-{n}" for n in range(8)]


@pytest.fixture
def stage(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:
    monkeypatch.setattr(AmazonAdapter, "feed_threshold", 5)
    monkeypatch.setattr(amazon_feeds, "PROCESSING_S", 0.5)
    with staged(database_url, push_interval_s=0.2, reconcile_interval_s=0, hold_back_quantile=0) as stage:
        create_location(stage.hub, stage.admin, "WH-CENTRAL")
        for sku in SKUS:
            create_sku(stage.hub, stage.admin, sku)
        yield stage


def test_a_first_sync_goes_as_one_feed_and_every_listing_shows_its_figure(stage: Stage) -> None:
    store = stage.market.open_store("amazon", "amazon-shop", SKUS, sells=False)
    with pusher_paused(stage):
        stocked(stage, store, {sku: 10 + n for n, sku in enumerate(SKUS)})

    wait_until(lambda: all(store.listing(sku).quantity == 10 + n for n, sku in enumerate(SKUS)), timeout_s=20)
    assert operations(store).count("createFeed") == 1
    assert "patchListingsItem" not in operations(store)  # not one figure went by itself
    feed = wait_until(lambda: finished_feed(stage))
    assert (feed.state, feed.accepted, feed.refused, len(feed.figures)) == ("done", 8, 0, 8)
    wait_until(lambda: states(stage) == {"synced"})


def test_urgent_first_figures_beyond_the_threshold_join_the_feed(stage: Stage) -> None:
    """Twelve listings showing 1 unit each: every first figure near zero is urgent, and urgent figures go by single
    calls, but only the threshold's five of them (what patches send in about a feed's processing time); the other
    seven go in one feed. Before, all twelve were patches (bench sync's 2,000 such listings: 444 s at 5/s)."""
    skus = SKUS + [f"SKU-{n}" for n in range(8, 12)]
    for sku in skus[8:]:
        create_sku(stage.hub, stage.admin, sku)
    store = stage.market.open_store("amazon", "amazon-shop", skus, sells=False)
    with pusher_paused(stage):
        stocked(stage, store, dict.fromkeys(skus, 1))

    feed = wait_until(lambda: finished_feed(stage), timeout_s=20)
    wait_until(lambda: all(store.listing(sku).quantity == 1 for sku in skus), timeout_s=20)
    assert (operations(store).count("createFeed"), operations(store).count("patchListingsItem")) == (1, 5)
    assert (feed.state, feed.accepted, len(feed.figures)) == ("done", 7, 7)
    wait_until(lambda: states(stage) == {"synced"})


def test_a_sku_the_feed_refuses_goes_back_to_the_single_calls_with_the_reason(stage: Stage) -> None:
    store = stage.market.open_store("amazon", "amazon-shop", SKUS, sells=False)
    with pusher_paused(stage):
        stocked(stage, store, dict.fromkeys(SKUS, 4))
        with store.lock:
            del store.listings["SKU-3"]  # delisted in Seller Central behind the hub's back

    wait_until(lambda: finished_feed(stage))
    assert finished_feed(stage).refused == 1
    refused = wait_until(lambda: push_row(stage, "SKU-3") if push_row(stage, "SKU-3").attempts else None)
    assert "4000001" in refused.last_error and refused.state in ("pending", "dead")
    wait_until(lambda: "patchListingsItem" in operations(store))  # tried again alone, and refused alone
    assert all(store.listing(sku).quantity == 4 for sku in SKUS if sku != "SKU-3")


def test_a_figure_that_moves_while_the_feed_is_processed_ends_as_the_newest(stage: Stage,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(amazon_feeds, "PROCESSING_S", 2.0)
    store = stage.market.open_store("amazon", "amazon-shop", SKUS, sells=False)
    with pusher_paused(stage):
        stocked(stage, store, dict.fromkeys(SKUS, 6))
    wait_until(lambda: operations(store).count("createFeed") == 1)

    receive(stage.hub, stage.admin, "SKU-0", "WH-CENTRAL", 3)  # 9 now; the feed still carries 6

    wait_until(lambda: finished_feed(stage), timeout_s=20)
    wait_until(lambda: store.listing("SKU-0").quantity == 9 and push_row(stage, "SKU-0").state == "synced",
               timeout_s=20)
    assert [figure.quantity for figure in store.figures if figure.sku == "SKU-0"][-1] == 9


def stocked(stage: Stage, store: Store, stock: dict[str, int]) -> None:
    """The store connected and each SKU's units received at the central warehouse, until every figure is planned
    (with the pusher paused, so nothing is sent yet)."""
    connect(stage.hub, stage.admin, store)
    for sku, units in stock.items():
        receive(stage.hub, stage.admin, sku, "WH-CENTRAL", units)
    wait_until(lambda: planned(stage) == stock)


def planned(stage: Stage) -> dict[str, int]:
    """The figure waiting for each listing (the planner works from the ledger's events, a moment after)."""
    with stage.hub.uow(write=False) as uow:
        return dict(uow.connection.execute(select(Listing.external_sku, StockPush.quantity)
                                           .join(Listing, Listing.id == StockPush.listing_id)).all())


@contextmanager
def pusher_paused(stage: Stage) -> Iterator[None]:
    """Nothing goes out while the channel is set up: the first turn then sees every figure at once."""
    stage.hub.pusher.holds_lease = lambda: False
    try:
        yield
    finally:
        stage.hub.pusher.holds_lease = lambda: True
        stage.hub.pusher.wake.set()


def operations(store: Store) -> list[str | None]:
    with store.lock:
        return [entry.operation for entry in store.log]


def finished_feed(stage: Stage) -> StockFeed | None:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(StockFeed).where(StockFeed.state != "processing")).first()


def push_row(stage: Stage, sku: str) -> StockPush:
    with stage.hub.uow(write=False) as uow:
        return uow.connection.execute(select(StockPush).join(Listing, Listing.id == StockPush.listing_id)
                                      .where(Listing.external_sku == sku)).one()


def states(stage: Stage) -> set[str]:
    with stage.hub.uow(write=False) as uow:
        return set(uow.connection.execute(select(StockPush.state)).scalars())

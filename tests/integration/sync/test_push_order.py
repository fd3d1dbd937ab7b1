"""The order and size of a turn's pushes: a figure that fell below what the store was last told (a sale, a SKU selling
out) is sent before older restocks, so a turn whose budget runs out leaves the restocks waiting, not the sell-outs;
and a batch that needs more calls than the channel's bucket ever holds (WooCommerce: a call per parent product of
variations) goes a part at a time instead of waiting for ever."""

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update

from flexhub.channels.model import Listing, StockPush
from flexhub.kernel import clock
from flexhub.sandbox.app import create_app
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sync.pacing import turn_caps
from flexhub.testing.builders import create_location, create_sku, create_tenant
from flexhub.testing.hubs import running_hub

SKUS = ("SKU-A", "SKU-B", "SKU-C")


def test_a_figure_that_fell_goes_out_before_older_restocks(database_url: str) -> None:
    with store_listing(database_url, "douyin", SKUS) as (hub, store):  # Douyin: one SKU a call
        waiting(hub, {"SKU-A": (9, 3), "SKU-B": (8, 2), "SKU-C": (0, 1)})  # figure, decided seconds ago

        assert hub.pusher.run_once() == 3

        assert [(f.sku, f.quantity) for f in store.figures] == [("SKU-C", 0), ("SKU-A", 9), ("SKU-B", 8)]


def test_a_figure_near_zero_goes_before_older_falls_and_restocks_last(database_url: str) -> None:
    """Urgency (push_calls.urgency): what oversells first is a store showing units of a SKU the hub has nearly none
    of, so a fall to near zero goes before an older fall that leaves plenty, and a restock goes last, oldest first
    within each."""
    with store_listing(database_url, "jd", ("SKU-A", "SKU-B", "SKU-C", "SKU-D")) as (hub, store):  # a SKU a call
        waiting(hub, {"SKU-A": (4, 9), "SKU-B": (1, 3), "SKU-C": (8, 20), "SKU-D": (0, 2)})  # 5 shown each

        assert hub.pusher.run_once() == 4

        assert [(f.sku, f.quantity) for f in store.figures] == [("SKU-B", 1), ("SKU-D", 0), ("SKU-A", 4),
                                                                ("SKU-C", 8)]


def test_a_batch_needing_more_calls_than_the_bucket_holds_goes_a_part_at_a_time(database_url: str) -> None:
    skus = [f"SKU-{n:02d}" for n in range(30)]  # every other one a variation of a product of its own: 16 calls
    with store_listing(database_url, "woocommerce", skus) as (hub, store):  # 5 calls/s, 10 held (9 as paced)
        waiting(hub, {sku: (7, 1) for sku in skus})

        deadline, synced = time.monotonic() + 15, 0
        while synced < len(skus) and time.monotonic() < deadline:
            synced += hub.pusher.run_once()
            time.sleep(0.2)

        assert synced == len(skus) and {store.listing(sku).quantity for sku in skus} == {7}
        assert store.throttled == 0


def test_a_batch_refused_all_or_none_is_tried_one_by_one_so_the_good_listings_go(database_url: str) -> None:
    """Douyin's sku.syncStockBatch refuses the whole call for one wrong sku_id: the next tries go one listing each,
    so three good figures are shown and only the wrong one keeps failing, with the platform's reason."""
    skus = ("SKU-A", "SKU-B", "SKU-C", "SKU-D")  # one product's four SKUs in the sandbox
    with store_listing(database_url, "douyin", skus) as (hub, store):
        with hub.engine.begin() as connection:
            product = connection.execute(select(Listing.external_item_id).where(Listing.external_sku == "SKU-D")
                                         ).scalar_one().partition(":")[0]
            connection.execute(update(Listing).where(Listing.external_sku == "SKU-D")
                               .values(external_item_id=f"{product}:999"))  # a sku_id Douyin does not know
        waiting(hub, {sku: (2, 1) for sku in skus})

        assert hub.pusher.run_once() == 0  # the batch: refused whole
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and {store.listing(s).quantity for s in skus[:3]} != {2}:
            hub.pusher.run_once()
            time.sleep(0.2)

        assert {store.listing(s).quantity for s in skus[:3]} == {2} and store.listing("SKU-D").quantity == 5
        with hub.engine.begin() as connection:
            bad = connection.execute(select(StockPush.state, StockPush.attempts, StockPush.last_error)
                                     .join(Listing, Listing.id == StockPush.listing_id)
                                     .where(Listing.external_sku == "SKU-D")).one()
        assert bad.state in ("pending", "dead") and bad.attempts >= 2 and "40004" in bad.last_error


def test_a_batch_refused_for_a_stale_compare_goes_whole_again_without_compares(database_url: str) -> None:
    """Shopify refuses a whole inventorySetQuantities when one changeFromQuantity is stale (a sale there the hub has
    not imported yet): the batch goes again whole, without compares, in one call. Before, its listings were then sent
    one a call for good (in bench sync, Shopify's 200 listings: a p99 lag of 15 s)."""
    skus = [f"SKU-{n}" for n in range(5)]
    with store_listing(database_url, "shopify", skus) as (hub, store):
        store.listing("SKU-0").quantity = 4  # sold there, not imported: the hub still thinks it shows 5
        waiting(hub, {sku: (2, 1) for sku in skus})

        assert hub.pusher.run_once() == 0  # refused: CHANGE_FROM_QUANTITY_STALE
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and {store.listing(s).quantity for s in skus} != {2}:
            hub.pusher.run_once()
            time.sleep(0.1)

        assert {store.listing(s).quantity for s in skus} == {2}
        calls = [entry for entry in store.log if entry.operation == "graphql" and not entry.outbound]
        assert len(calls) == 2  # the refused batch, then the same five in one call (split: 1 + 5)


def test_one_channels_thousands_of_figures_do_not_keep_another_channel_out_of_the_turn(database_url: str) -> None:
    """A turn reads each channel's share (what its platform's budget can send in a turn), not the oldest figures of
    all: JD's 40 older first figures (a call each, 10 a second) leave Shopify's 5 newer ones in the same turn, though
    the turn's limit (20) is smaller than JD's backlog alone."""
    jd_skus, shopify_skus = [f"JD-{n:02d}" for n in range(40)], [f"SH-{n}" for n in range(5)]
    with stores_listing(database_url, {"jd": jd_skus, "shopify": shopify_skus}) as (hub, stores):
        waiting(hub, {**{sku: (3, 30) for sku in jd_skus}, **{sku: (4, 1) for sku in shopify_skus}})

        sent = hub.pusher.run_once(limit=20)

        assert {stores["shopify"].listing(sku).quantity for sku in shopify_skus} == {4}
        jd_sent = sum(stores["jd"].listing(sku).quantity == 3 for sku in jd_skus)
        assert 9 <= jd_sent <= turn_caps(20)["jd"] and sent == jd_sent + 5
        assert stores["jd"].throttled == 0


def test_a_turn_takes_its_calls_tokens_in_one_go_not_one_write_each(database_url: str) -> None:
    """JD takes one SKU a call: six figures are six calls, whose tokens the turn takes from the channel's bucket in
    one write (on SQLite each write waits for the database's one write lock: a take per call made a busy day's
    turns last seconds) and hands back what it did not spend."""
    skus = [f"SKU-{n}" for n in range(6)]
    with store_listing(database_url, "jd", skus) as (hub, store):
        waiting(hub, {sku: (3, 1) for sku in skus})
        assert not hub.pusher._buckets  # no bucket touched yet

        assert hub.pusher.run_once() == 6

        (bucket,) = hub.pusher._buckets.values()
        assert bucket.takes == 1  # before: 6
        assert {store.listing(sku).quantity for sku in skus} == {3} and store.throttled == 0


def test_an_items_waiting_skus_go_in_one_call_whatever_their_order(database_url: str) -> None:
    """Taobao takes an item's SKUs in one skus.quantity.update (the sandbox: four SKUs to an item). Ten items' 40 SKUs
    waiting oldest-first across the items (every item's first SKU, then every item's second...) go in ten calls, one
    an item; batched in their own order they went in twenty, each carrying two SKUs of an item (bench sync: Taobao,
    Douyin and Shopee took two rounds of calls where their limits allow one)."""
    skus = [f"SKU-{n:02d}" for n in range(40)]  # item n // 4
    with store_listing(database_url, "taobao", skus) as (hub, store):
        waiting(hub, {sku: (2, 100 - (n % 4) * 10 - n // 4) for n, sku in enumerate(skus)})

        deadline, synced = time.monotonic() + 15, 0
        while synced < len(skus) and time.monotonic() < deadline:
            synced += hub.pusher.run_once()

        assert synced == len(skus) and {store.listing(sku).quantity for sku in skus} == {2}
        calls = [entry for entry in store.log if entry.operation == "stock" and not entry.outbound]
        assert len(calls) == 10 and all(len(call.figures) == 4 for call in calls)
        assert store.throttled == 0


@contextmanager
def store_listing(database_url: str, platform: str, skus: Sequence[str]) -> Iterator[tuple[Any, Any]]:
    """A hub and a sandbox store of `platform` listing `skus` (5 shown each), connected as a channel."""
    with stores_listing(database_url, {platform: skus}) as (hub, stores):
        yield hub, stores[platform]


@contextmanager
def stores_listing(database_url: str, listed: dict[str, Sequence[str]]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """A hub and a sandbox store per platform listing its SKUs (5 shown each), each connected as a channel."""
    market = Market(hub_url="http://127.0.0.1:9")  # the stores send nothing to the hub here
    try:
        with served(create_app(market)) as url, running_hub(database_url) as hub:
            market.base_url = url
            admin = create_tenant(hub)
            create_location(hub, admin, "WH-CENTRAL")
            stores = {}
            for platform, skus in listed.items():
                for sku in skus:
                    create_sku(hub, admin, sku)
                stores[platform] = market.open_store(platform, platform, list(skus), quantity=5, sells=False)
                connect(hub, admin, stores[platform])
            yield hub, stores
    finally:
        market.close()


def waiting(hub: Any, figures: dict[str, tuple[int, int]]) -> None:
    """Push rows due now: per external SKU the figure to show, decided that many seconds ago; 5 last pushed."""
    now = clock.now()
    plant_pushes(hub, {sku: {"quantity": quantity, "pushed_quantity": 5, "pushed_at": now - timedelta(seconds=60),
                             "next_attempt_at": (decided := now - timedelta(seconds=ago)), "changed_at": decided}
                       for sku, (quantity, ago) in figures.items()})


def plant_pushes(hub: Any, rows: dict[str, dict[str, Any]]) -> None:
    """A pending push row per external SKU, version 1, never tried, with the given columns."""
    with hub.engine.begin() as connection:
        listings = {row.external_sku: row for row in connection.execute(
            select(Listing.external_sku, Listing.id, Listing.channel_id, Listing.tenant_id))}
        connection.execute(insert(StockPush), [
            {"listing_id": listings[sku].id, "tenant_id": listings[sku].tenant_id,
             "channel_id": listings[sku].channel_id, "version": 1, "state": "pending", "pushed_version": 0,
             "attempts": 0, **columns} for sku, columns in rows.items()])

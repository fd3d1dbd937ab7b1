"""The demo's stores start with what the brand showed there before connecting flexhub (demo.stores): the hub's
figures, one listing in six off by a few units, not empty as a new store would be; the first sync then reads them
where that is cheaper than pushing (sync.first_read) and pushes only those that differ."""

from flexhub.demo import stores
from flexhub.sandbox.hub import connect
from flexhub.sandbox.market import Market
from flexhub.testing.builders import create_location, create_sku, create_tenant, receive
from flexhub.testing.hubs import running_hub

SKUS = [f"SKU-{n:02d}" for n in range(12)]


def test_each_store_starts_with_the_hubs_figures_one_listing_in_six_off(database_url: str) -> None:
    market = Market()
    with running_hub(database_url) as hub:
        admin = create_tenant(hub)
        create_location(hub, admin, "WH-CENTRAL")
        for n, sku in enumerate(SKUS):
            create_sku(hub, admin, sku)
            receive(hub, admin, sku, "WH-CENTRAL", 10 + n)
        store = market.open_store("amazon", "amazon-us", SKUS, sells=False)
        connect(hub, admin, store)

        stores.as_the_brand_left_them(hub, admin, [store])

    off = {"SKU-01": 3, "SKU-07": -2}  # the second listing of each six, by the offsets in turn
    assert {sku: store.listing(sku).quantity for sku in SKUS} == {
        sku: 10 + n + off.get(sku, 0) for n, sku in enumerate(SKUS)}
    market.close()

"""The demo's stores: a shelf price for every SKU, members each holding the welcome coupon, and a shopper's link
per store that opens its page without signing in; its shoppers buy on those pages and pay through the sandbox
WeChat Pay."""

from contextlib import ExitStack

import httpx2
from fastapi.testclient import TestClient

from flexhub.api.app import create_app
from flexhub.demo import brand, scan_to_buy, shoppers
from flexhub.sandbox.server import served
from flexhub.stores import queries
from flexhub.testing.hubs import running_hub
from flexhub.testing.seeded import seeded as seeded_once


def _seed_brand_and_stores(database_url: str) -> tuple[brand.Brand, scan_to_buy.Shelves]:
    with running_hub(database_url) as hub:
        seeded = brand.seed(hub)
        return seeded, scan_to_buy.seed(hub, seeded.admin)


def demo_stores(database_url: str) -> tuple[brand.Brand, scan_to_buy.Shelves]:
    """The demo's brand and its stores' shelves, seeded once per process and backend (flexhub.testing.seeded)."""
    return seeded_once(database_url, "demo_stores", _seed_brand_and_stores)


def test_the_demo_stores_have_prices_members_and_working_links(database_url: str) -> None:
    seeded, shelves = demo_stores(database_url)
    with running_hub(database_url) as hub:
        assert shelves.prices == len(brand.sku_codes()) and len(shelves.members) == len(scan_to_buy.MEMBERS)
        assert set(shelves.shelf_paths) == set(scan_to_buy.STORES) and len(scan_to_buy.STORES) == 4
        with TestClient(create_app(hub)) as client:
            page = client.get(shelves.shelf_paths["STORE-SH-JINGAN"])
            assert page.status_code == 200 and 'data-figure="network"' in page.text and "CN¥99.00" in page.text
            held = client.get(f"/api/v1/members/{shelves.members[0]}",
                              headers={"Authorization": f"Bearer {seeded.admin_key}"}).json()
            assert [c["code"] for c in held["coupons"]] == ["WELCOME20"]


def test_the_demo_shoppers_scan_buy_and_pay_and_the_staff_hand_over(database_url: str) -> None:
    """Shoppers on the stores' phone pages over HTTP: taken now, picked up (handed over by code when the day ends)
    and shipped from the node routing chooses when the store lacks the SKU; each paid by the sandbox WeChat Pay's
    notification; the sales are on the store's list the staff page shows."""
    seeded, _ = demo_stores(database_url)
    with running_hub(database_url) as hub:
        with served(create_app(hub)) as url, ExitStack() as stack:
            people = shoppers.Shoppers(hub, seeded.admin, url).open(stack)
            store = scan_to_buy.STORES[0]
            with hub.uow(write=False) as uow:
                views = [queries.shelf_view(uow, seeded.admin.tenant_id, store, sku) for sku in brand.sku_codes()]
            here = next(v["sku"] for v in views if v["store"]["available"] >= 2)
            lacking = next((v["sku"] for v in views if v["store"]["available"] == 0 and v["promise"]["ship"]), here)
            with httpx2.Client(base_url=url, timeout=30.0) as phone:
                for mode in ("take", "pickup", "ship"):
                    people._buy(phone, FixedChoice(mode), store, lacking if mode == "ship" else here)
            people.stop()
        day = people.day()
        assert day.paid == 3 and day.orders == {"take": 1, "pickup": 1, "ship": 1} and day.waiting == 0
        assert day.handed_over == {"take": 1, "pickup": 1, "ship": 0}  # taken now, and picked up by code at day end
        assert people.refused == 0 and people.shipped_from == {"WH-HZ-CENTRAL": 1}  # sent to Hangzhou
        with hub.uow(write=False) as uow:
            sales = queries.sales_at(uow, seeded.admin.tenant_id, store)
        assert [s["state"] for s in sales] == ["paid"] * 3
        assert sorted(o["state"] for s in sales for o in s["orders"]) == ["collected", "collected", "shipping"]


class FixedChoice:
    """A shopper's choices: the way given, the first of everything else."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def choice(self, options: tuple) -> object:
        return self.mode if self.mode in options else options[0]

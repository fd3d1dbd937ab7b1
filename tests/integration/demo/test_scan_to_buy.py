"""The demo's stores: a shelf price for every SKU, members each holding the welcome coupon, and a shopper's link
per store that opens its page without signing in."""

from fastapi.testclient import TestClient

from flexhub.api.app import create_app
from flexhub.demo import brand, scan_to_buy
from flexhub.testing.hubs import running_hub


def test_the_demo_stores_have_prices_members_and_working_links(database_url: str) -> None:
    with running_hub(database_url) as hub:
        seeded = brand.seed(hub)
        shelves = scan_to_buy.seed(hub, seeded.admin)
        assert shelves.prices == len(brand.sku_codes()) and len(shelves.members) == len(scan_to_buy.MEMBERS)
        assert set(shelves.shelf_paths) == set(scan_to_buy.STORES) and len(scan_to_buy.STORES) == 4
        with TestClient(create_app(hub)) as client:
            page = client.get(shelves.shelf_paths["STORE-SH-JINGAN"])
            assert page.status_code == 200 and 'data-figure="network"' in page.text and "CNY 99.00" in page.text
            held = client.get(f"/api/v1/members/{shelves.members[0]}",
                              headers={"Authorization": f"Bearer {seeded.admin_key}"}).json()
            assert [c["code"] for c in held["coupons"]] == ["WELCOME20"]

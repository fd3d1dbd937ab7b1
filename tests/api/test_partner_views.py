"""What a partner is shown of the brand (docs/roles.md): its own orders, channels and pools on every page, the
sales curve all sellers share, and 404 for another's channel; what the isolation walker (test_route_scope.py)
cannot tell by text, asserted figure by figure."""

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from flexhub.bootstrap import Hub, bootstrap
from flexhub.settings import Settings
from flexhub.testing.api_client import app_over, assert_error
from flexhub.testing.clocks import movable_clock
from flexhub.testing.scoped_world import World, seeded_world
from flexhub.testing.snapshots import snapshot

Seeded = tuple[Hub, World, TestClient]
FIGURES = re.compile(r'<script type="application/json" id="figures">(.*?)</script>', re.S)


@pytest.fixture
def world(database_url: str) -> Iterator[Seeded]:
    world = seeded_world(database_url)
    hub = bootstrap(Settings(database_url=database_url))
    try:
        with movable_clock(), app_over(hub) as app, TestClient(app) as client:
            yield hub, world, client
    finally:
        hub.close()


def signed_in(client: TestClient, world: World, role: str, tenant: str = "kappa") -> dict[str, str]:
    token = world.tenants[tenant].tokens[role]
    assert client.post("/login", data={"api_key": token}, follow_redirects=False).status_code == 303
    return {"Authorization": f"Bearer {token}"}


def overview(client: TestClient) -> dict:
    found = FIGURES.search(client.get("/").text)
    assert found is not None
    return json.loads(found.group(1))


def test_a_reseller_sees_its_own_orders_and_the_curve_all_sellers_share(world: Seeded) -> None:
    hub, seeded, client = world
    signed_in(client, seeded, "reseller")

    figures = overview(client)

    assert figures["statuses"] == {"shipped": 1}  # its one order, not the brand's three
    assert list(figures["flow"]["series"]) == ["kappa-res1-shop"]
    # brand, res1 and res2 each sold once this minute: two sellers besides res1, so the minute is shared
    assert figures["flow"]["shared"][-1] == 3 and set(figures["flow"]["shared"][:-1]) == {None}


def test_a_supplier_lands_on_its_portal_and_staff_see_every_store(world: Seeded) -> None:
    hub, seeded, client = world
    signed_in(client, seeded, "supplier")
    landing = client.get("/", follow_redirects=False)
    portal = client.get("/").text
    signed_in(client, seeded, "viewer")
    viewer = overview(client)

    assert landing.status_code == 303 and landing.headers["location"] == "/supplier"  # no sales curve, no overview
    assert "kappa-sup1" in portal and 'id="figures"' not in portal
    assert viewer["statuses"] == {"shipped": 3} and "shared" not in viewer["flow"]
    assert list(viewer["flow"]["series"]) == ["kappa-brand-shop", "kappa-res1-shop", "kappa-res2-shop"]


def test_a_resellers_channels_page_and_sku_ledger_hold_its_own_rows(world: Seeded) -> None:
    hub, seeded, client = world
    mine = seeded.tenants["kappa"].owners["res1"]
    signed_in(client, seeded, "reseller")

    channels = client.get("/channels").text
    ledger = client.get("/inventory/KAPPA-TEE").text.split('data-table="ledger"')[1]

    assert "kappa-res1-shop" in channels and "kappa-res2-shop" not in channels and "kappa-brand" not in channels
    assert ledger.count(mine.rows["order"]) == 2  # its order's hold and shipment
    assert "consigned:kappa-res1" in ledger  # its consigned stock arriving, whose document it is not shown
    assert "po:" not in ledger and "consigned:kappa-res2" not in ledger


@pytest.mark.parametrize(("role", "tenant", "code"), [
    ("reseller", "kappa", "kappa-res2-shop"),  # another reseller's store
    ("reseller", "kappa", "kappa-brand-shop"),  # the brand's own
    ("supplier", "kappa", "kappa-res1-shop"),
    ("admin", "kappa", "lambda-brand-shop"),  # another tenant's
])
def test_anothers_channel_sync_and_drift_are_unknown(world: Seeded, role: str, tenant: str, code: str) -> None:
    hub, seeded, client = world
    headers = signed_in(client, seeded, role, tenant)
    before = snapshot(hub)

    for path in (f"/api/v1/channels/{code}/sync", f"/api/v1/channels/{code}/drift",
                 f"/api/v1/channels/{code}/allocation"):
        assert_error(client.get(path, headers=headers), 404, "channels.unknown_channel")
    assert snapshot(hub) == before


def test_a_reseller_reads_its_own_channels_sync_and_drift(world: Seeded) -> None:
    hub, seeded, client = world
    headers = signed_in(client, seeded, "reseller")

    sync = client.get("/api/v1/channels/kappa-res1-shop/sync", headers=headers).json()
    drift = client.get("/api/v1/channels/kappa-res1-shop/drift", headers=headers).json()

    assert [listing["external_sku"] for listing in sync["listings"]] == ["KAPPA-RES1-LST"]
    assert [d["platform_quantity"] for d in drift["drift"]] == [seeded.tenants["kappa"].owners["res1"].figure]


@pytest.mark.parametrize("path", ["/api/v1/replenishment/suggestions",
                                  "/api/v1/replenishment/forecast?sku=KAPPA-TEE&location=KAPPA-WH"])
@pytest.mark.parametrize("role", ["reseller", "supplier"])
def test_the_brands_planning_is_refused_to_partners(world: Seeded, path: str, role: str) -> None:
    hub, seeded, client = world

    assert_error(client.get(path, headers=signed_in(client, seeded, role)), 403, "auth.forbidden")

"""GET /api/v1/replenishment/forecast and /suggestions over a real hub, on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from flexhub.catalog.commands import CreateSku
from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock

FORECAST = "/api/v1/replenishment/forecast"
SUGGESTIONS = "/api/v1/replenishment/suggestions"


@pytest.fixture
def shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    """Eight weeks of 3 tees a day from WH-CENTRAL; STORE-1 holds 12 it does not sell; 10 left at WH-CENTRAL."""
    with api_over(database_url) as api:
        admin = api.tenant.admin
        api.hub.handle(CreateSku(actor=admin, code="TEE-RED-M", name="Tee",
                                 attributes={"lead_time_days": 3, "pack": 6, "unit_cost": 2500}))
        builders.create_location(api.hub, admin, "WH-CENTRAL", priority=10)
        builders.create_location(api.hub, admin, "STORE-1", kind="store", priority=50)
        builders.create_channel(api.hub, admin)
        builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 3 * 56 + 10)
        for day in range(56):
            builders.import_order(api.hub, admin, external_id=f"D-{day}", lines=[builders.line(quantity=3)])
            clock.advance(days=1)
        builders.receive(api.hub, admin, "TEE-RED-M", "STORE-1", 12)
        yield api


def test_forecast_of_a_sku_at_a_node(shop: Api, clock: MovableClock):
    body = shop.get(FORECAST, role="viewer", sku="TEE-RED-M", location="WH-CENTRAL")
    assert (body["sku"], body["location"], body["horizon_days"]) == ("TEE-RED-M", "WH-CENTRAL", 28)
    assert body["demand_class"] == "smooth"
    assert len(body["daily"]) == 28 and body["daily"][0]["date"] == clock.at.date().isoformat()
    assert body["total"] == pytest.approx(84, rel=0.05)
    assert body["available"] == 10
    # 10 units at 3 a day: the fourth day runs out
    assert body["projected_stockout"] == (clock.at.date() + timedelta(days=3)).isoformat()
    assert body["error"]["interval_days"] == 10
    assert body["error"]["protection_units"] >= 30


def test_suggestions_move_store_surplus_first_then_buy_in_packs(shop: Api):
    body = shop.get(SUGGESTIONS, review_days=7)
    target = next(lv for lv in body["levels"] if lv["location"] == "WH-CENTRAL")["target"]
    transfer, purchase = body["suggestions"]
    assert transfer == {"kind": "transfer", "sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity": 12,
                        "source": "STORE-1"}
    assert purchase["kind"] == "purchase" and purchase["quantity"] % 6 == 0
    assert 0 <= purchase["quantity"] - (target - 22) < 6


def test_a_budget_caps_purchases(shop: Api):
    body = shop.get(SUGGESTIONS, budget="15000")
    assert [s["quantity"] for s in body["suggestions"] if s["kind"] == "purchase"] in ([], [6])


def test_unknown_sku_and_location_are_404(shop: Api):
    response = shop.client.get(FORECAST, params={"sku": "NOPE", "location": "WH-CENTRAL"}, headers=shop.headers())
    assert_error(response, 404, "catalog.unknown_sku")
    response = shop.client.get(FORECAST, params={"sku": "TEE-RED-M", "location": "NOPE"}, headers=shop.headers())
    assert_error(response, 404, "inventory.unknown_location")


def test_a_tenant_without_history_gets_no_suggestions(database_url: str):
    with api_over(database_url) as api:
        assert api.get(SUGGESTIONS)["suggestions"] == []
        assert date.fromisoformat(api.get(SUGGESTIONS)["as_of"])

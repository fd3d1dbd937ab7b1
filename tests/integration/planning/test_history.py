"""POST /api/v1/planning/history over a real hub, on SQLite and PostgreSQL: imported days are what the forecast reads
(a SKU with no orders at all is forecast from them), a day imported again replaces the earlier, a day the node ran
out is skipped, and a refused import writes nothing."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import audit, outbox, sales_history

HISTORY = "/api/v1/planning/history"
FORECAST = "/api/v1/replenishment/forecast"


@pytest.fixture
def shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    """TEE-RED-M with 50 at WH-CENTRAL and no orders; a channel `web`."""
    with api_over(database_url) as api:
        admin = api.tenant.admin
        builders.create_sku(api.hub, admin)
        builders.create_location(api.hub, admin, "WH-CENTRAL")
        builders.create_channel(api.hub, admin)
        builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 50)
        yield api


def days(today: date, units: int, weeks: int = 8, **fields: object) -> list[dict]:
    return [{"sku": "TEE-RED-M", "location": "WH-CENTRAL", "day": (today - timedelta(days=d)).isoformat(),
             "units": units, **fields} for d in range(1, weeks * 7 + 1)]


def forecast_total(api: Api) -> float:
    return api.get(FORECAST, role="viewer", sku="TEE-RED-M", location="WH-CENTRAL")["total"]


def test_imported_days_are_forecast_and_a_later_import_replaces_them(shop: Api, clock: MovableClock) -> None:
    today = clock.at.date()
    assert forecast_total(shop) == 0  # no orders, no history

    answer = shop.post(HISTORY, {"days": days(today, 4, channel="web")})
    assert answer == {"lines": 56, "replaced": 0, "first_day": (today - timedelta(days=56)).isoformat(),
                      "last_day": (today - timedelta(days=1)).isoformat(), "units": 224}
    assert forecast_total(shop) == pytest.approx(4 * 28, rel=0.02)

    again = shop.post(HISTORY, {"days": days(today, 2, channel="web")})
    assert (again["lines"], again["replaced"], again["units"]) == (56, 56, 112)
    assert forecast_total(shop) == pytest.approx(2 * 28, rel=0.02)
    assert [e.body["units"] for e in outbox(shop.hub) if e.type == "SalesHistoryImported"] == [224, 112]
    assert [a.action for a in audit(shop.hub) if a.action.startswith("planning.")] == ["planning.import_history"] * 2


def test_a_day_the_node_ran_out_is_not_taken_as_no_demand(shop: Api, clock: MovableClock) -> None:
    today = clock.at.date()
    sold = days(today, 3, weeks=8)[28:]  # four weeks of 3 a day, then four weeks out of stock
    out = [{**d, "stocked_out": True} for d in days(today, 0, weeks=4)]
    shop.post(HISTORY, {"days": sold + out})
    with_gaps = forecast_total(shop)

    shop.post(HISTORY, {"days": [{**d, "stocked_out": False} for d in out]})  # the same days, as real zeros
    assert with_gaps == pytest.approx(3 * 28, rel=0.02)
    assert forecast_total(shop) < 0.9 * with_gaps


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"sku": "NO-SUCH-SKU"}, 404, "catalog.unknown_sku"),
    ({"location": "NO-SUCH-NODE"}, 404, "inventory.unknown_location"),
    ({"channel": "no-such-channel"}, 404, "channels.unknown_channel"),
    ({"day": "today"}, 422, "planning.future_sales_day"),
    ({"units": -1}, 422, "request.invalid"),
])
def test_a_refused_import_writes_nothing(shop: Api, clock: MovableClock, change: dict, status: int,
                                         code: str) -> None:
    today = clock.at.date()
    lines = days(today, 1, weeks=1)
    bad = {**lines[3], **change}
    if bad["day"] == "today":
        bad["day"] = today.isoformat()
    before = sales_history(shop.hub, shop.tenant.admin.tenant_id), len(outbox(shop.hub)), len(audit(shop.hub))

    response = shop.client.post(HISTORY, json={"days": [*lines[:3], bad]}, headers=shop.headers())

    assert_error(response, status, code)
    assert (sales_history(shop.hub, shop.tenant.admin.tenant_id), len(outbox(shop.hub)), len(audit(shop.hub))) == before
    assert before[0] == () and forecast_total(shop) == 0


def test_the_same_day_twice_in_one_import_is_refused(shop: Api, clock: MovableClock) -> None:
    line = days(clock.at.date(), 1, weeks=1)[0]
    response = shop.client.post(HISTORY, json={"days": [line, line]}, headers=shop.headers())
    assert_error(response, 422, "planning.duplicate_sales_day")
    assert forecast_total(shop) == 0


@pytest.mark.parametrize("role", ["viewer", "partner"])
def test_only_planners_import(shop: Api, clock: MovableClock, role: str) -> None:
    response = shop.client.post(HISTORY, json={"days": days(clock.at.date(), 1, weeks=1)}, headers=shop.headers(role))
    assert_error(response, 403, "auth.forbidden")
    assert forecast_total(shop) == 0

"""POST/GET /api/v1/planning/events over a real hub, on SQLite and PostgreSQL: an event raises the forecast of its
SKUs on its days only (by the share of their sales its channels carry), a discount implies an uplift, the days of a
past event are not taken for usual demand, and a refused event writes nothing."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import audit, outbox

EVENTS = "/api/v1/planning/events"
HISTORY = "/api/v1/planning/history"
FORECAST = "/api/v1/replenishment/forecast"


@pytest.fixture
def shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    """Eight weeks of history at WH-CENTRAL: TEE-RED-M 2 a day through `web` and 2 through `douyin-live`, CAP-BLK 1
    a day through `web`."""
    with api_over(database_url) as api:
        admin = api.tenant.admin
        builders.create_sku(api.hub, admin)
        builders.create_sku(api.hub, admin, "CAP-BLK")
        builders.create_location(api.hub, admin, "WH-CENTRAL")
        builders.create_channel(api.hub, admin)
        builders.create_channel(api.hub, admin, "douyin-live")
        builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 500)
        builders.receive(api.hub, admin, "CAP-BLK", "WH-CENTRAL", 500)
        today = clock.at.date()
        days = [(today - timedelta(days=d)).isoformat() for d in range(1, 57)]
        api.post(HISTORY, {"days": [
            *({"sku": "TEE-RED-M", "location": "WH-CENTRAL", "channel": "web", "day": d, "units": 2} for d in days),
            *({"sku": "TEE-RED-M", "location": "WH-CENTRAL", "channel": "douyin-live", "day": d, "units": 2}
              for d in days),
            *({"sku": "CAP-BLK", "location": "WH-CENTRAL", "channel": "web", "day": d, "units": 1} for d in days)]})
        yield api


def daily(api: Api, sku: str = "TEE-RED-M") -> list[float]:
    return [d["units"] for d in api.get(FORECAST, role="viewer", sku=sku, location="WH-CENTRAL")["daily"]]


def live_room(today: date, **fields: object) -> dict:
    return {"name": "Double 12 live", "kind": "live_room", "starts_on": (today + timedelta(days=3)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(), "skus": ["TEE-RED-M"], "channels": ["douyin-live"],
            "expected_uplift": 3.0, **fields}


def test_an_event_raises_the_forecast_of_its_skus_on_its_days(shop: Api, clock: MovableClock) -> None:
    before, cap_before = daily(shop), daily(shop, "CAP-BLK")

    created = shop.post(EVENTS, live_room(clock.at.date()))

    assert (created["uplift"], created["skus"], created["channels"]) == (3.0, ["TEE-RED-M"], ["douyin-live"])
    after = daily(shop)
    # half the tee's sales go through the live room: 1 + ½·(3 − 1) = twice the usual on days 3, 4 and 5
    assert after[3:6] == pytest.approx([2 * u for u in before[3:6]], rel=0.01)
    assert after[:3] + after[6:] == before[:3] + before[6:]
    assert daily(shop, "CAP-BLK") == cap_before
    assert [e.body["name"] for e in outbox(shop.hub) if e.type == "PlanningEventCreated"] == ["Double 12 live"]
    assert "planning.create_event" in [a.action for a in audit(shop.hub)]


def test_a_discount_without_an_uplift_implies_one(shop: Api, clock: MovableClock) -> None:
    before = daily(shop)
    today = clock.at.date()
    created = shop.post(EVENTS, {"name": "Weekend 20 % off", "kind": "campaign", "starts_on": today.isoformat(),
                                 "ends_on": today.isoformat(), "skus": ["TEE-RED-M"], "discount_percent": 20})
    assert created["uplift"] == pytest.approx(1 / 0.8**2)
    assert daily(shop)[0] == pytest.approx(before[0] / 0.8**2, rel=0.01)


def test_the_days_of_a_past_event_are_not_usual_demand(shop: Api, clock: MovableClock) -> None:
    today = clock.at.date()
    spike = [{"sku": "TEE-RED-M", "location": "WH-CENTRAL", "channel": "web",
              "day": (today - timedelta(days=d)).isoformat(), "units": 40} for d in (2, 3, 4)]
    shop.post(HISTORY, {"days": spike})
    inflated = sum(daily(shop))

    shop.post(EVENTS, {"name": "Last week's flash sale", "kind": "campaign", "skus": ["TEE-RED-M"],
                       "starts_on": (today - timedelta(days=4)).isoformat(),
                       "ends_on": (today - timedelta(days=2)).isoformat(), "expected_uplift": 5})
    assert sum(daily(shop)) == pytest.approx(4 * 28, rel=0.03) and inflated > 1.1 * 4 * 28


def test_events_are_listed_and_read(shop: Api, clock: MovableClock) -> None:
    today = clock.at.date()
    created = shop.post(EVENTS, live_room(today))
    later = shop.post(EVENTS, live_room(today, name="New year", starts_on=(today + timedelta(days=40)).isoformat(),
                                        ends_on=(today + timedelta(days=41)).isoformat()))

    assert [e["name"] for e in shop.get(EVENTS, role="viewer")["events"]] == ["Double 12 live", "New year"]
    assert [e["id"] for e in shop.get(EVENTS, role="viewer", until=(today + timedelta(days=10)).isoformat())[
        "events"]] == [created["id"]]
    assert shop.get(EVENTS, role="viewer", sku="CAP-BLK")["events"] == []
    assert shop.get(f"{EVENTS}/{later['id']}", role="viewer") == later
    assert_error(shop.client.get(f"{EVENTS}/{created['id'][:-4]}ffff", headers=shop.headers()), 404,
                 "planning.unknown_event")
    assert_error(shop.client.get(f"{EVENTS}/not-an-id", headers=shop.headers()), 404, "planning.unknown_event")


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"ends_on": "2020-01-01"}, 422, "planning.invalid_event"),
    ({"expected_uplift": None}, 422, "planning.invalid_event"),
    ({"skus": ["TEE-RED-M", "NO-SUCH-SKU"]}, 404, "catalog.unknown_sku"),
    ({"channels": ["no-such-channel"]}, 404, "channels.unknown_channel"),
    ({"kind": "webinar"}, 422, "request.invalid"),
    ({"expected_uplift": 0}, 422, "request.invalid"),
])
def test_a_refused_event_writes_nothing(shop: Api, clock: MovableClock, change: dict, status: int,
                                        code: str) -> None:
    before = daily(shop), len(outbox(shop.hub)), len(audit(shop.hub))
    response = shop.client.post(EVENTS, json=live_room(clock.at.date(), **change), headers=shop.headers())
    assert_error(response, status, code)
    assert shop.get(EVENTS, since="2020-01-01")["events"] == []
    assert (daily(shop), len(outbox(shop.hub)), len(audit(shop.hub))) == before


def test_only_planners_write_events_and_only_staff_read_them(shop: Api, clock: MovableClock) -> None:
    assert_error(shop.client.post(EVENTS, json=live_room(clock.at.date()), headers=shop.headers("viewer")), 403,
                 "auth.forbidden")
    assert_error(shop.client.get(EVENTS, headers=shop.headers("partner")), 403, "auth.forbidden")
    assert shop.get(EVENTS)["events"] == []

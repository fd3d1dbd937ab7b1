"""Before a sale, over a real hub on SQLite and PostgreSQL: the SKU × node × channel forecast adds up across its
levels, and a pre-allocation plan (GET /api/v1/replenishment/preallocation/{event}) turns, in one click (POST), into
transfers the ledger records; refused requests write nothing."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from flexhub.inventory import queries as inventory_queries
from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock
from flexhub.testing.route_walker import fingerprint
from flexhub.testing.snapshots import ledger, ledger_differences, level

EVENTS = "/api/v1/planning/events"
HISTORY = "/api/v1/planning/history"
CHANNELS = "/api/v1/replenishment/forecast/channels"
PLAN = "/api/v1/replenishment/preallocation"
STORE = "STORE-SH"


@pytest.fixture
def shop(database_url: str, clock: MovableClock) -> Iterator[Api]:
    """Eight weeks of history: at WH-CENTRAL, TEE-RED-M 3 a day through `web` and 1 through `douyin-live`; at the
    store 2 a day named by no channel. 400 tees at WH-CENTRAL, none at the store; CAP-BLK sells at the warehouse."""
    with api_over(database_url) as api:
        admin = api.tenant.admin
        builders.create_sku(api.hub, admin)
        builders.create_sku(api.hub, admin, "CAP-BLK")
        builders.create_location(api.hub, admin, "WH-CENTRAL")
        builders.create_location(api.hub, admin, STORE, kind="store")
        builders.create_channel(api.hub, admin)
        builders.create_channel(api.hub, admin, "douyin-live")
        builders.receive(api.hub, admin, "TEE-RED-M", "WH-CENTRAL", 400)
        builders.receive(api.hub, admin, "CAP-BLK", "WH-CENTRAL", 100)
        today = clock.at.date()
        days = [(today - timedelta(days=d)).isoformat() for d in range(1, 57)]

        def sold(sku: str, location: str, channel: str | None, units: int) -> list[dict]:
            return [{"sku": sku, "location": location, "channel": channel, "day": d, "units": units} for d in days]

        api.post(HISTORY, {"days": [*sold("TEE-RED-M", "WH-CENTRAL", "web", 3),
                                    *sold("TEE-RED-M", "WH-CENTRAL", "douyin-live", 1),
                                    *sold("TEE-RED-M", STORE, None, 2), *sold("CAP-BLK", "WH-CENTRAL", "web", 1)]})
        yield api


def live_room(today: date) -> dict:
    return {"name": "Double 12", "kind": "campaign", "starts_on": (today + timedelta(days=3)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(), "skus": ["TEE-RED-M"], "channels": ["douyin-live"],
            "expected_uplift": 5.0}


def test_the_channel_forecast_adds_up_at_every_level(shop: Api, clock: MovableClock) -> None:
    shop.post(EVENTS, live_room(clock.at.date()))
    found = shop.get(CHANNELS, role="viewer", sku="TEE-RED-M")

    nodes = {n["location"]: n for n in found["nodes"]}
    assert set(nodes) == {"WH-CENTRAL", STORE}
    for node in nodes.values():  # channels sum to their node, day by day
        for d, day in enumerate(node["daily"]):
            assert sum(c["daily"][d]["units"] for c in node["channels"]) == pytest.approx(day["units"], abs=0.01)
    for d, day in enumerate(found["daily"]):  # nodes sum to the SKU
        assert sum(n["daily"][d]["units"] for n in nodes.values()) == pytest.approx(day["units"], abs=0.01)
    central = {c["channel"]: c for c in nodes["WH-CENTRAL"]["channels"]}
    assert set(central) == {"web", "douyin-live"} and [c["channel"] for c in nodes[STORE]["channels"]] == [None]
    # a usual day: web carries three quarters; on the live room's days douyin-live sells 5 times its usual
    assert central["web"]["daily"][0]["units"] == pytest.approx(3 * central["douyin-live"]["daily"][0]["units"])
    assert central["douyin-live"]["daily"][4]["units"] == pytest.approx(
        5 * central["douyin-live"]["daily"][0]["units"], rel=0.05)
    assert central["web"]["daily"][4]["units"] == pytest.approx(central["web"]["daily"][0]["units"], rel=0.05)
    assert_error(shop.client.get(CHANNELS, params={"sku": "NOPE"}, headers=shop.headers()), 404,
                 "catalog.unknown_sku")


def test_a_preallocation_plan_becomes_transfers_the_ledger_records(shop: Api, clock: MovableClock) -> None:
    event = shop.post(EVENTS, {**live_room(clock.at.date()), "channels": []})  # every channel sells 5 times as much
    plan = shop.get(f"{PLAN}/{event['id']}", role="viewer")

    assert plan["window_days"] == 6 and plan["event"]["name"] == "Double 12"
    store = next(n for n in plan["nodes"] if n["location"] == STORE)
    # the store sells 2 a day, 10 a day on the event's three days: 36 units expected by its end, none on hand
    assert store["expected"] == pytest.approx(36, rel=0.1) and store["target"] >= store["expected"]
    assert store["available"] == 0 and store["channels"] == [{"channel": None, "quota": store["target"]}]
    central = next(n for n in plan["nodes"] if n["location"] == "WH-CENTRAL")
    assert sum(c["quota"] for c in central["channels"]) == central["target"]
    assert plan["transfers"] == [{"sku": "TEE-RED-M", "from": "WH-CENTRAL", "to": STORE,
                                  "quantity": store["target"]}]
    assert {n["sku"] for n in plan["nodes"]} == {"TEE-RED-M"}  # the cap is not in the sale

    before = fingerprint(shop.hub.engine)
    assert_error(shop.client.post(f"{PLAN}/{event['id']}", headers=shop.headers("viewer")), 403, "auth.forbidden")
    assert_error(shop.client.post(f"{PLAN}/{event['id'][:-4]}ffff", headers=shop.headers()), 404,
                 "planning.unknown_event")
    assert fingerprint(shop.hub.engine) == before

    made = shop.post(f"{PLAN}/{event['id']}", {})["transfers"]

    assert [(t["from"], t["to"], t["units"]) for t in made] == [("WH-CENTRAL", STORE, store["target"])]
    moved = [m for m in ledger(shop.hub, shop.tenant.admin.tenant_id) if m.reference == made[0]["id"]]
    assert sorted((m.on_hand_delta, m.in_transit_delta) for m in moved) == [(-store["target"], 0),
                                                                              (0, store["target"])]
    assert level(shop.hub, shop.tenant.admin, "TEE-RED-M", STORE)["in_transit"] == store["target"]
    assert level(shop.hub, shop.tenant.admin, "TEE-RED-M", "WH-CENTRAL")["on_hand"] == 400 - store["target"]
    assert ledger_differences(shop.hub, shop.tenant.admin.tenant_id) == []
    with shop.hub.uow(write=False) as uow:
        sent = inventory_queries.transfers(uow.connection, shop.tenant.admin.tenant_id)
    assert [t["reference"] for t in sent] == [f"pre-allocation {event['id']}"]
    assert shop.get(f"{PLAN}/{event['id']}")["transfers"] == []  # what is on its way counts: nothing left to move


def test_an_event_that_is_over_is_not_planned(shop: Api, clock: MovableClock) -> None:
    today = clock.at.date()
    event = shop.post(EVENTS, {**live_room(today), "starts_on": (today - timedelta(days=5)).isoformat(),
                               "ends_on": (today - timedelta(days=1)).isoformat()})
    assert_error(shop.client.get(f"{PLAN}/{event['id']}", headers=shop.headers()), 409, "planning.event_over")
    assert_error(shop.client.get(f"{PLAN}/{event['id']}", headers=shop.headers("partner")), 403, "auth.forbidden")


def signed_in(api: Api, role: str) -> Api:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303
    return api


def test_the_dashboard_shows_the_plan_and_an_operator_approves_it_in_one_click(shop: Api,
                                                                               clock: MovableClock) -> None:
    event = shop.post(EVENTS, {**live_room(clock.at.date()), "channels": []})
    planned = shop.get(f"{PLAN}/{event['id']}")["transfers"]
    signed_in(shop, "viewer")
    assert f'href="/preallocation/{event["id"]}"' in shop.client.get("/preallocation").text
    seen = shop.client.get(f"/preallocation/{event['id']}").text
    assert f'data-figure="units">{planned[0]["quantity"]}<' in seen and "approve-preallocation" not in seen
    before = fingerprint(shop.hub.engine)
    assert_error(shop.client.post(f"/preallocation/{event['id']}"), 403, "auth.forbidden")
    assert fingerprint(shop.hub.engine) == before

    signed_in(shop, "operator")
    assert "approve-preallocation" in shop.client.get(f"/preallocation/{event['id']}").text
    approved = shop.client.post(f"/preallocation/{event['id']}", follow_redirects=False)

    assert approved.status_code == 303 and approved.headers["location"] == "/transfers"
    assert level(shop.hub, shop.tenant.admin, "TEE-RED-M", STORE)["in_transit"] == planned[0]["quantity"]
    assert f"pre-allocation {event['id']}" in shop.client.get("/transfers").text

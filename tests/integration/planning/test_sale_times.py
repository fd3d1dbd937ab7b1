"""An event announced with its sales' times (POST /api/v1/planning/events with starts_at, ends_at and units_per_sku),
on SQLite and PostgreSQL: stored and read back with them, its days taken from them when not given (in the offset
they were given in); an event without times answers as before, the new fields null; bad times are refused with 422
planning.invalid_event naming the field, and nothing is written. The events page shows a sale's times."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from flexhub.testing import builders
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import audit, outbox

EVENTS = "/api/v1/planning/events"


@pytest.fixture
def shop(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        builders.create_sku(api.hub, api.tenant.admin)
        builders.create_channel(api.hub, api.tenant.admin, "douyin-live")
        yield api


def flash_sale(**fields: object) -> dict:
    """A live room's flash sale from 20:00 to 21:30 Beijing time on 12 December."""
    return {"name": "12.12 live flash sale", "kind": "live_room", "skus": ["TEE-RED-M"], "channels": ["douyin-live"],
            "discount_percent": 30, "starts_at": "2026-12-12T20:00:00+08:00", "ends_at": "2026-12-12T21:30:00+08:00",
            "units_per_sku": 400, **fields}


def test_a_sale_announced_with_its_times_is_stored_with_them_and_its_days_follow(shop: Api) -> None:
    created = shop.post(EVENTS, flash_sale(starts_at="2026-12-12T23:30:00+08:00", ends_at="2026-12-13T00:30:00+08:00"))

    assert (created["starts_on"], created["ends_on"]) == ("2026-12-12", "2026-12-13")  # Beijing's days, not UTC's
    assert datetime.fromisoformat(created["starts_at"]) == datetime(2026, 12, 12, 15, 30, tzinfo=UTC)
    assert datetime.fromisoformat(created["ends_at"]) == datetime(2026, 12, 12, 16, 30, tzinfo=UTC)
    assert created["units_per_sku"] == 400
    assert shop.get(f"{EVENTS}/{created['id']}", role="viewer") == created
    assert shop.get(EVENTS, role="viewer", since="2026-12-12")["events"] == [created]
    body = next(e.body for e in outbox(shop.hub) if e.type == "PlanningEventCreated")
    assert (datetime.fromisoformat(body["starts_at"]), body["units_per_sku"]) == (
        datetime(2026, 12, 12, 15, 30, tzinfo=UTC), 400)


def test_the_events_page_shows_a_sales_times_and_an_events_days(shop: Api, clock: MovableClock) -> None:
    day = (clock.at + timedelta(days=3)).date()
    shop.post(EVENTS, flash_sale(starts_at=f"{day}T12:00:00Z", ends_at=f"{day}T13:30:00Z"))
    shop.post(EVENTS, {"name": "Double 12", "kind": "campaign", "starts_on": str(day), "ends_on": str(day),
                       "skus": ["TEE-RED-M"], "expected_uplift": 2})
    assert shop.client.post("/login", data={"api_key": shop.tenant.tokens["viewer"]}).status_code == 200

    rows = {name: cells for name, cells in re.findall(r'<a href="/preallocation/[^"]+">([^<]+)</a></td>(.*?)</tr>',
                                                     shop.client.get("/preallocation").text, re.S)}
    assert re.search(rf"<td>{day} \d\d:00 [^<]+</td>\s*<td>{day} \d\d:30 [^<]+</td>", rows["12.12 live flash sale"])
    assert rows["Double 12"].count(f"<td>{day}</td>") == 2


def test_days_given_with_the_times_are_kept_and_units_per_sku_may_be_left_out(shop: Api) -> None:
    created = shop.post(EVENTS, flash_sale(starts_on="2026-12-11", ends_on="2026-12-14", units_per_sku=None))
    assert (created["starts_on"], created["ends_on"], created["units_per_sku"]) == ("2026-12-11", "2026-12-14", None)


def test_an_event_without_times_answers_as_before_with_the_new_fields_null(shop: Api) -> None:
    created = shop.post(EVENTS, {"name": "Double 12", "kind": "campaign", "starts_on": "2026-12-10",
                                 "ends_on": "2026-12-12", "skus": ["TEE-RED-M"], "expected_uplift": 2})
    assert (created["starts_at"], created["ends_at"], created["units_per_sku"]) == (None, None, None)
    assert (created["starts_on"], created["ends_on"], created["uplift"]) == ("2026-12-10", "2026-12-12", 2.0)


@pytest.mark.parametrize(("change", "status", "code", "field"), [
    ({"ends_at": None}, 422, "planning.invalid_event", "ends_at"),
    ({"starts_at": None}, 422, "planning.invalid_event", "starts_at"),
    ({"ends_at": "2026-12-12T20:00:00+08:00"}, 422, "planning.invalid_event", "ends_at"),  # ends as it starts
    ({"ends_at": "2026-12-12T11:59:00Z"}, 422, "planning.invalid_event", "ends_at"),  # before 20:00 Beijing
    ({"starts_at": "2026-12-12T20:00:00"}, 422, "planning.invalid_event", "starts_at"),  # no time zone
    ({"ends_at": "2026-12-12T21:30:00"}, 422, "planning.invalid_event", "ends_at"),
    ({"starts_at": None, "ends_at": None, "starts_on": "2026-12-12", "ends_on": "2026-12-12"}, 422,
     "planning.invalid_event", "units_per_sku"),  # units sold in no window
    ({"starts_at": None, "ends_at": None, "units_per_sku": None}, 422, "planning.invalid_event", "starts_on"),
    ({"starts_on": "2026-12-13"}, 422, "planning.invalid_event", "starts_on"),  # after the sale's start
    ({"ends_on": "2026-12-11"}, 422, "planning.invalid_event", "ends_on"),
    ({"units_per_sku": 0}, 422, "request.invalid", None),
    ({"units_per_sku": 2.5}, 422, "request.invalid", None),
    ({"starts_at": "tonight"}, 422, "request.invalid", None),
])
def test_bad_times_are_refused_and_nothing_is_written(shop: Api, change: dict, status: int, code: str,
                                                      field: str | None) -> None:
    before = len(outbox(shop.hub)), len(audit(shop.hub))

    error = assert_error(shop.client.post(EVENTS, json=flash_sale(**change), headers=shop.headers()), status, code)

    if field is not None:
        assert error["details"]["field"] == field, error
    assert shop.get(EVENTS, since="2020-01-01")["events"] == []
    assert (len(outbox(shop.hub)), len(audit(shop.hub))) == before

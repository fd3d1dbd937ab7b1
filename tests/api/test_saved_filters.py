"""Saved filters (/api/v1/saved-filters) on SQLite and PostgreSQL: a person keeps a list's filters under a name,
sees its own and those shared with it, and deletes its own; each save and delete audited. Refusals have their codes
and change nothing: 422 for what cannot be kept, 404 for another person's private filter or another tenant's, 403
for a shared filter of someone else or a phone from a role that may not see phones, 409 for a name taken."""

from typing import Any

import pytest
from sqlalchemy import func, select

from flexhub.filters.model import SavedFilter
from flexhub.identity.model import AuditEntry
from flexhub.testing.api_client import Api, assert_error, create_tenant_with_keys
from flexhub.testing.snapshots import snapshot

SAVED = "/api/v1/saved-filters"
OUTLET_WAITING = {"channel": "outlet", "status": "awaiting_stock", "q": "cap black"}


def save(api: Api, role: str = "admin", status: int = 201, **body: Any) -> dict[str, Any]:
    return api.post(SAVED, {"list": "orders", "name": "Outlet waiting", "filters": OUTLET_WAITING, **body}, role,
                    status)


def names(api: Api, role: str = "admin", **params: str) -> list[tuple[str, bool]]:
    return [(f["name"], f["mine"]) for f in api.get(SAVED, role, **params)["saved_filters"]]


def stored(api: Api) -> list[tuple[str, str, str]]:
    """Every saved filter of every tenant: (owner, list, name)."""
    with api.hub.uow(write=False) as uow:
        return sorted(uow.connection.execute(select(SavedFilter.owner, SavedFilter.list_name, SavedFilter.name)).all())


def audited(api: Api) -> int:
    with api.hub.uow(write=False) as uow:
        return uow.connection.scalar(select(func.count()).where(AuditEntry.action.like("saved_filter.%")))


def test_a_filter_is_saved_listed_read_and_deleted_by_its_owner(api: Api) -> None:
    saved = save(api, filters={**OUTLET_WAITING, "since": "2026-12-01", "sort": "-total", "phone": ""})
    levels = api.post(SAVED, {"list": "stock", "name": "Tees at the east", "filters": {"q": "tee", "node": "WH-EAST"}})

    assert saved["filters"] == {**OUTLET_WAITING, "since": "2026-12-01", "sort": "-total"}  # the empty one dropped
    assert saved["mine"] is True and saved["shared"] is False and saved["list"] == "orders"
    assert names(api) == [("Outlet waiting", True), ("Tees at the east", True)]
    assert names(api, list="stock") == [("Tees at the east", True)]
    assert api.get(f"{SAVED}/{saved['id']}") == saved
    assert audited(api) == 2

    gone = api.client.delete(f"{SAVED}/{levels['id']}", headers=api.headers())

    assert gone.status_code == 204
    assert names(api) == [("Outlet waiting", True)]
    assert audited(api) == 3
    assert_error(api.client.get(f"{SAVED}/{levels['id']}", headers=api.headers()), 404, "filters.unknown_filter")


def test_a_private_filter_is_nobody_elses_to_see_or_delete(api: Api) -> None:
    mine = save(api, "operator")
    before, rows = snapshot(api.hub), stored(api)

    assert names(api, "viewer") == [] and names(api) == []
    for role in ("viewer", "admin", "partner"):
        assert_error(api.client.get(f"{SAVED}/{mine['id']}", headers=api.headers(role)), 404,
                     "filters.unknown_filter")
        assert_error(api.client.delete(f"{SAVED}/{mine['id']}", headers=api.headers(role)), 404,
                     "filters.unknown_filter")

    assert snapshot(api.hub) == before and stored(api) == rows
    assert names(api, "operator") == [("Outlet waiting", True)]


def test_another_tenants_filter_is_not_found_and_stays(api: Api) -> None:
    other = create_tenant_with_keys(api.hub, "other-brand")
    theirs = api.client.post(SAVED, json={"list": "orders", "name": "Theirs", "filters": {"q": "tee"},
                                          "shared": True}, headers=other.headers())
    assert theirs.status_code == 201, theirs.text
    before, rows = snapshot(api.hub), stored(api)

    assert names(api) == []
    assert_error(api.client.get(f"{SAVED}/{theirs.json()['id']}", headers=api.headers()), 404,
                 "filters.unknown_filter")
    assert_error(api.client.delete(f"{SAVED}/{theirs.json()['id']}", headers=api.headers()), 404,
                 "filters.unknown_filter")

    assert snapshot(api.hub) == before and stored(api) == rows


def test_a_shared_filter_is_seen_by_the_team_but_deleted_by_its_owner_only(api: Api) -> None:
    shared = save(api, shared=True)
    before, rows = snapshot(api.hub), stored(api)

    assert names(api, "operator") == [("Outlet waiting", False)] and names(api, "viewer") == [("Outlet waiting", False)]
    assert names(api, "partner") == []  # the brand's team, not a reseller
    assert_error(api.client.delete(f"{SAVED}/{shared['id']}", headers=api.headers("operator")), 403,
                 "filters.not_yours")
    assert snapshot(api.hub) == before and stored(api) == rows

    # The operator may keep a filter of the same name: names are each person's own.
    save(api, "operator")
    assert names(api, "operator") == [("Outlet waiting", False), ("Outlet waiting", True)]


def test_a_name_given_twice_to_one_list_is_refused_with_nothing_written(api: Api) -> None:
    save(api)
    before, rows = snapshot(api.hub), stored(api)

    assert_error(api.client.post(SAVED, json={"list": "orders", "name": "  Outlet   waiting ", "filters": {"q": "x"}},
                                 headers=api.headers()), 409, "filters.name_taken")

    assert snapshot(api.hub) == before and stored(api) == rows
    save(api, list="stock", filters={"q": "cap"})  # the same name on another list is another filter


@pytest.mark.parametrize("body", [
    {"list": "parcels", "name": "x", "filters": {"q": "tee"}},  # no such list
    {"list": "orders", "name": "x", "filters": {"buyer": "张三"}},  # no such filter
    {"list": "orders", "name": "x", "filters": {"phone": "12"}},  # not a phone's ending
    {"list": "orders", "name": "x", "filters": {"since": "yesterday"}},  # not a day
    {"list": "orders", "name": "x", "filters": {"status": "Shipped!"}},
    {"list": "orders", "name": "x", "filters": {"q": "x" * 65}},
    {"list": "orders", "name": "   ", "filters": {"q": "tee"}},  # no name
    {"list": "orders", "name": "x" * 81, "filters": {"q": "tee"}},
    {"list": "orders", "name": "x", "filters": {"q": " ", "channel": ""}},  # nothing to keep
    {"list": "orders", "name": "x", "filters": {"phone": "5678"}, "shared": True},  # a phone for everyone to see
], ids=["list", "filter", "phone", "day", "status", "long-q", "no-name", "long-name", "empty", "shared-phone"])
def test_what_cannot_be_kept_is_refused_with_nothing_written(api: Api, body: dict[str, Any]) -> None:
    before = snapshot(api.hub)

    assert_error(api.client.post(SAVED, json=body, headers=api.headers()), 422, "filters.invalid")

    assert snapshot(api.hub) == before and stored(api) == []


def test_a_role_that_may_not_see_phones_may_not_keep_a_filter_by_one(api: Api) -> None:
    before = snapshot(api.hub)

    assert_error(api.client.post(SAVED, json={"list": "orders", "name": "x", "filters": {"phone": "5678"}},
                                 headers=api.headers("viewer")), 403, "filters.personal_data")

    assert snapshot(api.hub) == before and stored(api) == []
    save(api, "operator", filters={"phone": "5678"})  # staff who ship see phones


def test_a_body_it_does_not_know_is_refused(api: Api) -> None:
    answer = api.client.post(SAVED, json={"list": "orders", "name": "x", "filters": {"q": "tee"}, "owner": "me"},
                             headers=api.headers())

    assert answer.status_code == 422 and stored(api) == []

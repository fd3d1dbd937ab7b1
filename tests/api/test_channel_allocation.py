"""Allocation as a setting of its own: PUT /api/v1/channels/{code}/allocation, a listing's override (given when it is
listed, or put later), each checked alike at every way in (422 channels.invalid_allocation, nothing written),
audited with before and after, planned into the listings' figures, and shown on the channels page."""

import time

import pytest
from sqlalchemy import select

from flexhub.channels.queries import sync_status
from flexhub.identity.model import AuditEntry
from flexhub.testing.api_client import CHANNELS, Api, assert_error
from flexhub.testing.snapshots import snapshot

SKU = "TEE-RED-M"
INVALID = [
    {"mode": "bogus"},
    {"mode": "quota", "quota": -1},
    {"mode": "quota", "quota": "ten"},
    {"mode": "quota", "quota": True},
    {"mode": "percentage", "percentage": 150},
    {"quota": 5},  # a quota on a shared listing would never apply
    {"mode": "shared", "colour": "red"},
    {"mode": "shared", "cap": -3},
    {"mode": "shared", "hold_back_s": -1},
    {"mode": "shared", "hold_back_s": "soon"},
    {"mode": "shared", "hold_back_s": 7200},
    {"mode": "quota", "quota": 3, "hold_back_s": 5},  # a carve-out holds nothing back for a round
]


@pytest.fixture
def stores(shop: Api) -> Api:
    """`shop` (5 of TEE-RED-M) listed on `web` and on a live room's channel `live`."""
    shop.post(CHANNELS, {"code": "live", "platform": "generic"})
    for channel in ("web", "live"):
        shop.post(f"{CHANNELS}/{channel}/listings", {"external_sku": f"{channel.upper()}-TEE", "sku": SKU})
    return shop


def test_a_live_rooms_quota_is_set_audited_and_planned_into_every_figure(stores: Api) -> None:
    answer = put(stores, "live", {"mode": "quota", "quota": 2, "priority": 1})

    assert answer == {"channel": "live", "listing": None, "allocation": {"mode": "quota", "quota": 2, "priority": 1},
                      "skus_replanned": 1}
    assert stores.get(f"{CHANNELS}/live/allocation", role="viewer") == {
        "channel": "live", "allocation": {"mode": "quota", "quota": 2, "priority": 1}, "overrides": []}
    assert stores.get(f"{CHANNELS}/web/allocation")["allocation"] == {"mode": "shared"}
    [entry] = audit(stores)
    assert (entry.entity, entry.actor) == ("channel", stores.tenant.actor_name("admin"))
    assert entry.detail == {"channel": "live", "listing": None, "before": {"mode": "shared"},
                            "after": {"mode": "quota", "quota": 2, "priority": 1}}
    # The live room is carved first; the web shop shows what is left of the 5.
    assert planned(stores, {"live": 2, "web": 3})


def test_a_listing_given_its_own_policy_keeps_it_until_handed_back(stores: Api) -> None:
    created = stores.post(f"{CHANNELS}/web/listings", {"external_sku": "WEB-TEE-2", "sku": SKU,
                                                       "allocation": {"mode": "shared", "cap": 1}})
    assert created["allocation"] == {"mode": "shared", "cap": 1}
    put(stores, "web", {"mode": "percentage", "percentage": 40}, listing="WEB-TEE")

    assert stores.get(f"{CHANNELS}/web/allocation")["overrides"] == [
        {"external_sku": "WEB-TEE", "sku": SKU, "allocation": {"mode": "percentage", "percentage": 40}},
        {"external_sku": "WEB-TEE-2", "sku": SKU, "allocation": {"mode": "shared", "cap": 1}}]
    assert planned(stores, {"web": {"WEB-TEE": 2, "WEB-TEE-2": 1}, "live": 3})

    handed_back = put(stores, "web", {}, listing="WEB-TEE")

    assert (handed_back["listing"], handed_back["allocation"]) == ("WEB-TEE", {})
    assert [o["external_sku"] for o in stores.get(f"{CHANNELS}/web/allocation")["overrides"]] == ["WEB-TEE-2"]
    assert [e.detail["before"] for e in audit(stores)] == [{}, {"mode": "percentage", "percentage": 40}]


@pytest.mark.parametrize("bad", INVALID, ids=[str(sorted(b.items())) for b in INVALID])
def test_an_invalid_allocation_is_refused_alike_at_every_way_in_and_writes_nothing(stores: Api, bad: dict) -> None:
    before, policies = snapshot(stores.hub), allocations(stores)

    for response in (
        stores.client.put(f"{CHANNELS}/web/allocation", json=bad, headers=stores.headers()),
        stores.client.put(f"{CHANNELS}/web/listings/WEB-TEE/allocation", json=bad, headers=stores.headers()),
        stores.client.post(CHANNELS, json={"code": "outlet", "platform": "generic", "settings": {"allocation": bad}},
                           headers=stores.headers()),
        stores.client.post(f"{CHANNELS}/web/listings", json={"external_sku": "WEB-NEW", "sku": SKU,
                                                             "allocation": bad}, headers=stores.headers()),
    ):
        error = assert_error(response, 422, "channels.invalid_allocation")
        assert error["details"]["problems"], error
    assert snapshot(stores.hub) == before and allocations(stores) == policies
    assert_error(stores.client.get(f"{CHANNELS}/outlet/allocation", headers=stores.headers()), 404,
                 "channels.unknown_channel")


def test_a_bogus_mode_names_the_field_and_the_modes_there_are(stores: Api) -> None:
    response = stores.client.put(f"{CHANNELS}/web/allocation", json={"mode": "bogus"}, headers=stores.headers())

    error = assert_error(response, 422, "channels.invalid_allocation")
    assert error["details"]["problems"] == {"mode": "one of shared, quota, percentage, not 'bogus'"}


def test_a_channel_bounds_or_turns_off_what_it_holds_back_for_its_round(stores: Api) -> None:
    assert put(stores, "web", {"mode": "shared", "hold_back_s": 5.5})["allocation"] == {
        "mode": "shared", "hold_back_s": 5.5}
    off = {"mode": "shared", "hold_back_s": 0}
    assert put(stores, "live", off)["allocation"] == off
    assert put(stores, "live", {"mode": "shared", "hold_back_s": None})["allocation"] == {"mode": "shared"}
    response = stores.client.put(f"{CHANNELS}/web/allocation", json={"hold_back_s": -1}, headers=stores.headers())
    assert assert_error(response, 422, "channels.invalid_allocation")["details"]["problems"] == {
        "hold_back_s": "seconds from 0 (hold nothing back) to 3600, or null for the channel's round as measured"}


def test_a_channel_created_with_an_allocation_keeps_it(api: Api) -> None:
    api.post(CHANNELS, {"code": "live", "platform": "generic",
                        "settings": {"allocation": {"mode": "quota", "quota": 30}, "reconcile_every_s": 600}})

    assert api.get(f"{CHANNELS}/live/allocation")["allocation"] == {"mode": "quota", "quota": 30}


def test_unknown_channels_and_listings_and_other_roles_are_refused_and_change_nothing(stores: Api) -> None:
    before, policies = snapshot(stores.hub), allocations(stores)
    body = {"mode": "quota", "quota": 1}

    assert_error(stores.client.put(f"{CHANNELS}/nowhere/allocation", json=body, headers=stores.headers()), 404,
                 "channels.unknown_channel")
    assert_error(stores.client.put(f"{CHANNELS}/web/listings/NOPE/allocation", json=body, headers=stores.headers()),
                 404, "channels.unknown_listing")
    for role in ("operator", "viewer"):
        assert_error(stores.client.put(f"{CHANNELS}/web/allocation", json=body, headers=stores.headers(role)), 403,
                     "auth.forbidden")
    assert snapshot(stores.hub) == before and allocations(stores) == policies


def test_the_channels_page_shows_each_policy_and_the_latest_changes(stores: Api) -> None:
    put(stores, "live", {"mode": "quota", "quota": 2, "priority": 1})
    put(stores, "web", {"mode": "shared", "cap": 4}, listing="WEB-TEE")
    stores.client.post("/login", data={"api_key": stores.tenant.tokens["viewer"]})

    page = stores.client.get("/channels").text

    rows = {row.split('"')[0]: row for row in page.split('<tr data-channel="')[1:]}
    assert 'data-field="allocation">quota 2 · priority 1<' in rows["live"]
    assert 'data-field="allocation">shared<br><small class="muted">1 listings with their own' in rows["web"]
    changes = page.split('data-table="allocation-changes"')[1].split("</table>")[0]
    assert changes.index("WEB-TEE") < changes.index("live")  # newest first
    assert "<td>channel&#39;s</td><td>shared · cap 4</td>" in changes
    assert "<td>shared</td><td>quota 2 · priority 1</td>" in changes


def put(api: Api, channel: str, body: dict, listing: str | None = None) -> dict:
    path = f"{CHANNELS}/{channel}" + (f"/listings/{listing}" if listing else "") + "/allocation"
    response = api.client.put(path, json=body, headers=api.headers())
    assert response.status_code == 200, response.text
    return response.json()


def audit(api: Api) -> list:
    with api.hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(AuditEntry).where(AuditEntry.action == "allocation.set")
                                           .order_by(AuditEntry.at)))


def allocations(api: Api) -> list[dict]:
    return [api.get(f"{CHANNELS}/{code}/allocation") for code in ("web", "live")]


def planned(api: Api, wanted: dict) -> bool:
    """The hub's own workers plan the figures (relay, then planner) until each listing shows what `wanted` says:
    per channel a figure for its one listing, or a figure per external SKU."""
    api.hub.workers.start()
    try:
        deadline, shown = time.monotonic() + 15, {}
        while time.monotonic() < deadline:
            with api.hub.uow(write=False) as uow:
                shown = {channel: {r["external_sku"]: r["quantity"] for r in sync_status(
                    uow.connection, api.tenant.admin.tenant_id, channel)} for channel in wanted}
            if all(shown[c] == (w if isinstance(w, dict) else {f"{c.upper()}-TEE": w}) for c, w in wanted.items()):
                return True
            time.sleep(0.1)
    finally:
        api.hub.workers.stop()
    raise AssertionError(f"the figures planned are {shown}, not {wanted}")

"""Quotas that follow sell-through: two live rooms hold quotas of one SKU marked `rebalance`; the one selling gets more
of their total on the next run, the quiet one less, the total kept; each change is set and audited as a person's
would be (actor job:rebalance) and listed among the channel page's allocation changes. Without sales nothing moves;
`rebalance` outside a quota, or not a boolean, is refused like any invalid allocation."""

import pytest
from sqlalchemy import select

from flexhub.identity.model import AuditEntry
from flexhub.sync.rebalance import JOB_ACTOR, QuotaRebalance
from flexhub.testing.api_client import CHANNELS, ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

SKU = "TEE-RED-M"


@pytest.fixture
def rooms(api: Api) -> Api:
    """100 of TEE-RED-M; live rooms `live-a` and `live-b` each hold a quota of 40 that follows sales."""
    api.stock_shop(stock=100)
    for room in ("live-a", "live-b"):
        api.post(CHANNELS, {"code": room, "platform": "generic", "settings": {
            "allocation": {"mode": "quota", "quota": 40, "rebalance": True}}})
        api.post(f"{CHANNELS}/{room}/listings", {"external_sku": f"{room}-TEE", "sku": SKU})
    return api


def quotas(api: Api) -> dict[str, int]:
    found = {}
    for room in ("live-a", "live-b"):
        policy = api.get(f"{CHANNELS}/{room}/allocation")
        override = {o["external_sku"]: o["allocation"] for o in policy["overrides"]}.get(f"{room}-TEE")
        found[room] = (override or policy["allocation"])["quota"]
    return found


def run(api: Api) -> int:
    return QuotaRebalance(api.hub.uow, api.hub.handle, window_s=600).run_once()


def test_the_selling_room_gets_more_of_the_total_and_each_change_is_audited(rooms: Api) -> None:
    for n in range(6):
        rooms.post(ORDERS, order_body(f"A-{n}", channel="live-a", lines=[{"sku": SKU, "quantity": 2,
                                                                          "unit_price": 9900}]))
    assert run(rooms) == 2

    first = quotas(rooms)
    assert first["live-a"] > 40 > first["live-b"] and sum(first.values()) == 80
    assert first == {"live-a": 58, "live-b": 22}  # half way to a tenth spread evenly and the rest by sales
    run(rooms)
    second = quotas(rooms)
    assert second["live-a"] > first["live-a"] and sum(second.values()) == 80
    with rooms.hub.uow(write=False) as uow:
        entries = list(uow.connection.execute(select(AuditEntry).where(AuditEntry.action == "allocation.set")
                                              .order_by(AuditEntry.at)))
    assert {e.actor for e in entries} == {JOB_ACTOR}
    assert entries[0].detail["after"]["rebalance"] is True
    rooms.client.post("/login", data={"api_key": rooms.tenant.tokens["viewer"]})
    changes = rooms.client.get("/channels").text.split('data-table="allocation-changes"')[1].split("</table>")[0]
    assert "live-a-TEE" in changes and "follows sales" in changes


def test_without_sales_nothing_moves(rooms: Api) -> None:
    rooms.post(ORDERS, order_body("W-1", channel="web"))  # sold elsewhere: not a live room's sale
    before = snapshot(rooms.hub)

    assert run(rooms) == 0

    assert quotas(rooms) == {"live-a": 40, "live-b": 40} and snapshot(rooms.hub) == before


@pytest.mark.parametrize("bad", [{"mode": "quota", "quota": 5, "rebalance": "yes"},
                                 {"mode": "shared", "rebalance": True}])
def test_rebalance_outside_a_quota_or_not_a_boolean_is_refused(rooms: Api, bad: dict) -> None:
    before = snapshot(rooms.hub)
    response = rooms.client.put(f"{CHANNELS}/live-a/allocation", json=bad, headers=rooms.headers())
    error = assert_error(response, 422, "channels.invalid_allocation")
    assert "rebalance" in error["details"]["problems"]
    assert snapshot(rooms.hub) == before

"""Each kind of cleaning rule through the API, alone, as a hold and as a reject: an order that trips it is held
with the rule's code and reserves nothing, and released it reserves; or it is refused with `cleaning.rejected`
naming the finding, and nothing is stored. An order that does not trip it is taken."""

from typing import Any

import pytest

from flexhub.cleaning.checks import PARAMS
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

RULES = "/api/v1/cleaning/rules"
BUYER = {"name": "张三", "phone": "13800000000"}
# kind → (params, what the tripping order changes, the code it is held for, an earlier order it needs)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], str, bool]] = {
    "address": ({}, {"shipping_address": {"country": "CN"}}, "address.missing_province", False),
    "blacklist": ({"phones": ["139 0000 0000"]}, {"buyer": {"name": "刷单", "phone": "13900000000"}},
                  "blacklist.phone", False),
    "duplicate": ({"window_minutes": 60}, {}, "duplicate.same_order", True),
    "quantity": ({"max_units_per_line": 1}, {}, "quantity.line_above_limit", False),
    "value": ({"max_total": 10_000}, {}, "value.above_limit", False),
    "price_floor": ({"floors": {"TEE-RED-M": 10_000}}, {}, "price.below_floor", False),
    "velocity": ({"max_orders": 1, "by": ["buyer"]}, {}, "fraud.velocity_buyer", True),
    "first_order_value": ({"above": 10_000}, {}, "fraud.first_order_high_value", False),
    "country_mismatch": ({}, {"buyer": {**BUYER, "country": "US"}}, "fraud.country_mismatch", False),
}


def test_every_kind_of_rule_is_covered() -> None:
    assert set(CASES) == set(PARAMS)


def _reserved(api: Api) -> int:
    return sum(level["reserved"] for level in api.levels())


def _ruled(api: Api, kind: str, action: str, earlier: bool) -> Api:
    params = CASES[kind][0]
    api.client.put(RULES, json={"rules": [{"name": "only", "kind": kind, "action": action, "params": params}]},
                   headers=api.headers()).raise_for_status()
    if earlier:  # what a rule looking back needs: the same buyer's order a moment ago (1 unit, not tripping)
        taken = api.post(ORDERS, order_body("EARLIER-1", lines=[{"sku": "TEE-RED-M", "quantity": 1,
                                                                 "unit_price": 19_800}]))
        assert taken["status"] == "reserved"
    return api


def _tripping(kind: str) -> dict[str, Any]:
    changes = CASES[kind][1]
    if kind in ("duplicate", "velocity"):  # the same lines as the earlier order
        return order_body("A-2", lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 19_800}], **changes)
    return order_body("A-2", **changes)  # 2 × 99.00: above 1 a line, 100.00 in all, under a 100.00 floor


@pytest.mark.parametrize("kind", sorted(CASES))
def test_an_order_tripping_a_held_rule_reserves_nothing_until_released(shop: Api, kind: str) -> None:
    api = _ruled(shop, kind, "hold", CASES[kind][3])
    reserved = _reserved(api)

    held = api.post(ORDERS, _tripping(kind))

    assert held["status"] == "on_hold" and held["reservations"] == [], held
    assert held["status_reason"].startswith(f"held: {CASES[kind][2]}")
    assert _reserved(api) == reserved
    [hold] = api.get("/api/v1/cleaning/holds")["holds"]
    assert hold["order_id"] == held["id"] and CASES[kind][2] in {f["code"] for f in hold["findings"]}

    released = api.post(f"{ORDERS}/{held['id']}/release", {"note": "checked"}, status=200)

    units = sum(line["quantity"] for line in held["lines"])
    assert released["status"] == "reserved" and _reserved(api) == reserved + units
    assert api.get("/api/v1/cleaning/holds")["holds"] == []


@pytest.mark.parametrize("kind", sorted(CASES))
def test_an_order_tripping_a_rejecting_rule_is_refused_and_nothing_is_stored(shop: Api, kind: str) -> None:
    api = _ruled(shop, kind, "reject", CASES[kind][3])
    before = snapshot(api.hub)

    response = api.client.post(ORDERS, json=_tripping(kind), headers=api.headers())

    error = assert_error(response, 422, "cleaning.rejected")
    assert CASES[kind][2] in [f["code"] for f in error["details"]["findings"]]
    assert snapshot(api.hub) == before


@pytest.mark.parametrize("kind", ["address", "blacklist", "quantity", "value", "price_floor", "country_mismatch"])
def test_an_order_that_trips_nothing_is_taken(shop: Api, kind: str) -> None:
    api = _ruled(shop, kind, "reject", False)

    taken = api.post(ORDERS, order_body("CLEAN-1", lines=[{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 10_000}]))

    assert taken["status"] == "reserved"

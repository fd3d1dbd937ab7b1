"""Order cleaning through the API: rules set and refused, orders held (nothing reserved) or rejected (nothing
stored), a release that reserves, an address corrected, and denials that change nothing."""

from typing import Any

import pytest

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.snapshots import snapshot

RULES = "/api/v1/cleaning/rules"
HOLDS = "/api/v1/cleaning/holds"
ALL_RULES = [
    {"name": "address", "kind": "address", "action": "hold"},
    {"name": "twice", "kind": "duplicate", "params": {"window_minutes": 60}},
    {"name": "bulk", "kind": "quantity", "params": {"max_units_per_line": 50}},
    {"name": "blocked", "kind": "blacklist", "action": "reject", "params": {"phones": ["139 0000 0000"]}},
]


@pytest.fixture
def cleaned(shop: Api) -> Api:
    shop.client.put(RULES, json={"rules": ALL_RULES}, headers=shop.headers()).raise_for_status()
    return shop


def _reserved(api: Api) -> int:
    return sum(level["reserved"] for level in api.levels())


def test_rules_are_set_whole_and_read_back(shop: Api) -> None:
    saved = shop.client.put(RULES, json={"rules": ALL_RULES}, headers=shop.headers())

    assert saved.status_code == 200, saved.text
    read = shop.get(RULES, role="viewer")
    assert [r["name"] for r in read["rules"]] == ["address", "twice", "bulk", "blocked"]
    assert read["rules"][1] == {"name": "twice", "kind": "duplicate", "action": "hold", "channel": None,
                                "enabled": True, "params": {"window_minutes": 60}}


def test_rules_from_yaml(shop: Api) -> None:
    text = "rules:\n  - name: big\n    kind: value\n    action: reject\n    params: {max_total: 100000}\n"

    saved = shop.client.put(RULES, json={"yaml": text}, headers=shop.headers())

    assert saved.status_code == 200, saved.text
    assert saved.json()["rules"][0]["params"] == {"max_total": 100000, "currency": None}


@pytest.mark.parametrize(("rules", "code"), [
    ([{"name": "x", "kind": "astrology"}], "cleaning.unknown_kind"),
    ([{"name": "x", "kind": "quantity", "params": {}}], "cleaning.invalid_rule"),
    ([{"name": "x", "kind": "value", "params": {"max_total": 999.0}}], "cleaning.invalid_rule"),
    ([{"name": "x", "kind": "duplicate", "params": {"window_minutes": "soon"}}], "cleaning.invalid_rule"),
    ([{"name": "Bad Name", "kind": "address"}], "cleaning.invalid_rule"),
    ([{"name": "x", "kind": "address"}, {"name": "x", "kind": "value", "params": {"max_total": 5}}],
     "cleaning.duplicate_rule"),
    ([{"name": "x", "kind": "address", "channel": "nowhere"}], "channels.unknown_channel"),
])
def test_a_wrong_rule_refuses_the_set_and_writes_nothing(cleaned: Api, rules: list[dict[str, Any]],
                                                        code: str) -> None:
    before, kept = snapshot(cleaned.hub), cleaned.get(RULES)

    response = cleaned.client.put(RULES, json={"rules": rules}, headers=cleaned.headers())

    assert_error(response, 404 if code == "channels.unknown_channel" else 422, code)
    assert cleaned.get(RULES) == kept and snapshot(cleaned.hub) == before


def test_unreadable_yaml_is_refused(shop: Api) -> None:
    response = shop.client.put(RULES, json={"yaml": "rules: [\n  - {name: x"}, headers=shop.headers())
    assert_error(response, 422, "cleaning.unreadable_yaml")


@pytest.mark.parametrize("role", ["operator", "viewer", "partner"])
def test_only_an_admin_changes_rules(cleaned: Api, role: str) -> None:
    before, kept = snapshot(cleaned.hub), cleaned.get(RULES)

    response = cleaned.client.put(RULES, json={"rules": []}, headers=cleaned.headers(role))

    assert_error(response, 403, "auth.forbidden")
    assert cleaned.get(RULES) == kept and snapshot(cleaned.hub) == before


def test_a_held_order_reserves_nothing_and_a_release_reserves_it(cleaned: Api) -> None:
    body = order_body(shipping_address={"country": "CN"})

    held = cleaned.post(ORDERS, body)

    assert held["status"] == "on_hold" and held["reservations"] == []
    assert held["status_reason"].startswith("held: address.missing_province")
    assert _reserved(cleaned) == 0
    holds = cleaned.get(HOLDS)["holds"]
    assert [h["order_id"] for h in holds] == [held["id"]]
    assert {f["code"] for f in holds[0]["findings"]} >= {"address.missing_city", "address.missing_line1"}

    released = cleaned.post(f"{ORDERS}/{held['id']}/release", {"note": "called the buyer"}, status=200)

    assert released["status"] == "reserved"
    assert [(r["sku"], r["quantity"]) for r in released["reservations"]] == [("TEE-RED-M", 2)]
    assert _reserved(cleaned) == 2 and cleaned.get(HOLDS)["holds"] == []


def test_releasing_an_order_not_on_hold_is_409_and_changes_nothing(cleaned: Api) -> None:
    order = cleaned.post(ORDERS, order_body())
    before = snapshot(cleaned.hub)

    response = cleaned.client.post(f"{ORDERS}/{order['id']}/release", headers=cleaned.headers())

    assert_error(response, 409, "ordering.not_on_hold")
    assert snapshot(cleaned.hub) == before


def test_a_rejecting_rule_stores_nothing(cleaned: Api) -> None:
    before = snapshot(cleaned.hub)
    body = order_body(buyer={"name": "刷单", "phone": "+86 139-0000-0000"})

    response = cleaned.client.post(ORDERS, json=body, headers=cleaned.headers())

    error = assert_error(response, 422, "cleaning.rejected")
    assert [f["code"] for f in error["details"]["findings"]] == ["blacklist.phone"]
    assert snapshot(cleaned.hub) == before


def test_the_same_order_under_another_number_is_held(cleaned: Api) -> None:
    first = cleaned.post(ORDERS, order_body("A-1"))
    second = cleaned.post(ORDERS, order_body("A-2"))

    assert first["status"] == "reserved"
    assert second["status"] == "on_hold" and second["status_reason"] == "held: duplicate.same_order"
    assert _reserved(cleaned) == 2


def test_900_units_of_a_sku_are_held(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(lines=[{"sku": "TEE-RED-M", "quantity": 900, "unit_price": 100}]))

    assert held["status"] == "on_hold" and held["status_reason"] == "held: quantity.line_above_limit"
    assert _reserved(cleaned) == 0


def test_country_zz_is_held(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(shipping_address={"country": "ZZ", "city": "X", "line1": "1 Road",
                                                              "postal_code": "1"}))
    assert held["status_reason"] == "held: address.unknown_country"


def test_an_address_is_stored_as_the_atlas_names_it(cleaned: Api) -> None:
    address = {"country": "cn", "province": "浙江", "city": "杭州", "district": "西湖区", "line1": "文三路  90 号",
               "postal_code": "310000"}

    order = cleaned.post(ORDERS, order_body(shipping_address=address))

    assert order["status"] == "reserved"
    assert order["shipping_address"] == {**address, "country": "CN", "province": "浙江省", "city": "杭州市",
                                         "line1": "文三路 90 号"}


def test_a_held_address_is_corrected_then_released(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(shipping_address={"country": "CN", "province": "浙江省", "city": "杭州市",
                                                              "district": "西湖区", "line1": "文三路 90 号",
                                                              "postal_code": "100000"}))
    assert held["status_reason"] == "held: address.postal_code_mismatch"
    path = f"{ORDERS}/{held['id']}/shipping-address"
    before = snapshot(cleaned.hub)

    still_wrong = cleaned.client.put(path, json={"country": "CN", "province": "火星"}, headers=cleaned.headers())

    assert_error(still_wrong, 422, "cleaning.address_refused")
    assert snapshot(cleaned.hub) == before
    fixed = cleaned.client.put(path, json={**held["shipping_address"], "postal_code": "310012"},
                               headers=cleaned.headers())
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["shipping_address"]["postal_code"] == "310012" and fixed.json()["status"] == "on_hold"
    assert cleaned.post(f"{ORDERS}/{held['id']}/release", {}, status=200)["status"] == "reserved"


def test_a_held_order_cancelled_closes_its_hold(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(shipping_address={"country": "CN"}))

    cancelled = cleaned.post(f"{ORDERS}/{held['id']}/cancel", {"reason": "fake"}, status=200)

    assert cancelled["status"] == "cancelled" and cleaned.get(HOLDS)["holds"] == []


def test_a_viewer_cannot_release_and_nothing_changes(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(shipping_address={"country": "CN"}))
    before = snapshot(cleaned.hub)

    response = cleaned.client.post(f"{ORDERS}/{held['id']}/release", headers=cleaned.headers("viewer"))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(cleaned.hub) == before


def test_another_partner_cannot_see_release_or_edit_a_held_order(cleaned: Api) -> None:
    held = cleaned.post(ORDERS, order_body(shipping_address={"country": "CN"}))
    before = snapshot(cleaned.hub)

    released = cleaned.client.post(f"{ORDERS}/{held['id']}/release", headers=cleaned.headers("partner"))
    edited = cleaned.client.put(f"{ORDERS}/{held['id']}/shipping-address", json={"country": "CN"},
                                headers=cleaned.headers("partner"))

    assert_error(released, 404, "ordering.unknown_order")
    assert_error(edited, 404, "ordering.unknown_order")
    assert cleaned.get(HOLDS, role="partner") == {"holds": []}
    assert snapshot(cleaned.hub) == before


def test_a_decimal_amount_is_refused_with_its_own_code(shop: Api) -> None:
    before = snapshot(shop.hub)
    for lines in ([{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 99.00}],
                  [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": "9900"}],
                  [{"sku": "TEE-RED-M", "quantity": 1, "unit_price": 9900, "discount": 0.5}]):
        response = shop.client.post(ORDERS, json=order_body(lines=lines), headers=shop.headers())
        error = assert_error(response, 422, "request.not_minor_units")
        assert error["details"][0]["loc"][:3] == ["body", "lines", 0]
    assert snapshot(shop.hub) == before


def test_without_rules_nothing_is_held(shop: Api) -> None:
    order = shop.post(ORDERS, order_body(shipping_address={"country": "CN"}))
    assert order["status"] == "reserved"

"""/api/v1/inventory: locations, adjustments and levels."""

from flexhub.testing.api_client import ADJUSTMENTS, LEVELS, LOCATIONS, SAFETY_STOCK, SKUS, Api, assert_error
from flexhub.testing.snapshots import snapshot


def test_a_location_created_from_the_minimal_body(api: Api) -> None:
    created = api.post(LOCATIONS, {"code": "WH-CENTRAL", "kind": "central"})

    assert created["code"] == "WH-CENTRAL" and created["kind"] == "central"
    assert created["name"] == "WH-CENTRAL" and created["can_ship"] is True


def test_adjustments_move_on_hand_and_levels_show_it(api: Api) -> None:
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee"})
    api.post(LOCATIONS, {"code": "WH-CENTRAL", "kind": "central"})

    api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 10, "reason": "delivery"})
    after = api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "spot",
                                   "quantity_delta": -3, "reason": "damaged"})

    assert after["on_hand"] == 7 and after["available"] == 7
    answer = api.get(LEVELS, role="viewer", sku="TEE-RED-M")
    assert answer["sku"] == "TEE-RED-M"
    shown = [{k: lv[k] for k in ("location", "pool", "on_hand", "reserved", "available")} for lv in answer["levels"]]
    assert shown == [{"location": "WH-CENTRAL", "pool": "spot", "on_hand": 7, "reserved": 0, "available": 7}]


def test_safety_stock_is_set_and_held_back_from_available(shop: Api) -> None:
    response = shop.client.put(SAFETY_STOCK, json={"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity": 2},
                               headers=shop.headers("operator"))

    assert response.status_code == 200, response.text
    assert response.json() == {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "spot", "safety": 2}
    level = shop.levels()[0]
    assert (level["on_hand"], level["safety"], level["available"]) == (5, 2, 3)


def test_levels_of_each_pool_are_listed_apart(shop: Api) -> None:
    shop.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "pool": "presale",
                            "quantity_delta": 4, "reason": "presale allotment"})

    pools = {lv["pool"]: lv["on_hand"] for lv in shop.levels()}

    assert pools == {"spot": 5, "presale": 4}


def test_taking_more_than_is_on_hand_is_refused_and_changes_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ADJUSTMENTS, json={"sku": "TEE-RED-M", "location": "WH-CENTRAL",
                                                   "quantity_delta": -6, "reason": "lost"}, headers=shop.headers())

    assert_error(response, 409, "inventory.negative_stock")
    assert snapshot(shop.hub) == before


def test_an_adjustment_at_an_unknown_location_is_404_and_changes_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ADJUSTMENTS, json={"sku": "TEE-RED-M", "location": "NOWHERE",
                                                   "quantity_delta": 1, "reason": "found"}, headers=shop.headers())

    assert_error(response, 404, "inventory.unknown_location")
    assert snapshot(shop.hub) == before


def test_a_zero_adjustment_is_refused_and_changes_nothing(shop: Api) -> None:
    before = snapshot(shop.hub)

    response = shop.client.post(ADJUSTMENTS, json={"sku": "TEE-RED-M", "location": "WH-CENTRAL",
                                                   "quantity_delta": 0, "reason": "nothing"}, headers=shop.headers())

    assert_error(response, 422, "inventory.invalid_quantity")
    assert snapshot(shop.hub) == before


def test_levels_of_an_unknown_sku_are_404(api: Api) -> None:
    assert_error(api.client.get(LEVELS, params={"sku": "NOPE"}, headers=api.headers()), 404, "catalog.unknown_sku")

"""Supplier terms in replenishment, orders drafted from its suggestions, what is on order counted once, and
production within the factory's capacity, over a real hub on SQLite and PostgreSQL."""

from datetime import timedelta

from flexhub.testing import builders
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.purchasing import ORDERS, PURCHASING, add_supplier, order_body, purchasing_rows, set_terms
from flexhub.testing.snapshots import snapshot

SUGGESTIONS = "/api/v1/replenishment/suggestions"


def purchase_of(api: Api, sku: str = "TEE-RED-M") -> dict | None:
    return next((s for s in api.get(SUGGESTIONS)["suggestions"] if s["sku"] == sku and s["kind"] == "purchase"),
                None)


def test_the_suppliers_terms_replace_the_skus_own_and_open_orders_count_as_on_order(selling: Api) -> None:
    by_attributes = purchase_of(selling)
    assert by_attributes["quantity"] % 6 == 0

    set_terms(selling, "mill-1", "TEE-RED-M", lead_time_days=20, moq=40, pack=10)
    by_terms = purchase_of(selling)
    level = next(lv for lv in selling.get(SUGGESTIONS)["levels"] if lv["sku"] == "TEE-RED-M")

    assert by_terms["quantity"] % 10 == 0 and by_terms["quantity"] >= 40
    assert by_terms["quantity"] > by_attributes["quantity"]  # 20 days to protect, not 3 + 7
    created = selling.post(ORDERS, order_body("mill-1", {"TEE-RED-M": by_terms["quantity"]}))
    assert purchase_of(selling)["quantity"] == by_terms["quantity"]  # a draft is not on order yet
    selling.post(f"{ORDERS}/{created['id']}/send", {}, status=200)

    assert purchase_of(selling) is None
    after = next(lv for lv in selling.get(SUGGESTIONS)["levels"] if lv["sku"] == "TEE-RED-M")
    assert after["position"] == level["position"] + by_terms["quantity"]


def test_orders_from_suggestions_one_per_supplier_and_the_unsourced_listed(selling: Api) -> None:
    set_terms(selling, "mill-1", "TEE-RED-M", lead_time_days=10, pack=6, unit_cost=2100)

    made = selling.post(f"{ORDERS}/from-suggestions", {"send": True})

    (order,) = made["orders"]
    assert (order["supplier"], order["kind"], order["state"], order["location"]) == (
        "mill-1", "purchase", "sent", "WH-CENTRAL")
    assert order["lines"][0]["sku"] == "TEE-RED-M" and order["lines"][0]["unit_cost"] == 2100
    assert order["lines"][0]["quantity"] % 6 == 0
    assert [s["sku"] for s in made["unsourced"]] == ["CAP-BLK"]
    assert selling.post(f"{ORDERS}/from-suggestions", {})["orders"] == []  # now on order: nothing more to buy


def test_production_goes_to_a_factory_within_its_capacity(selling: Api) -> None:
    add_supplier(selling, "factory")
    set_terms(selling, "factory", "CAP-BLK", lead_time_days=5)
    body = order_body("factory", {"CAP-BLK": 250}, kind="production")
    before = (snapshot(selling.hub), purchasing_rows(selling.hub))
    not_a_factory = selling.client.post(ORDERS, json=body, headers=selling.headers())
    assert_error(not_a_factory, 422, "purchasing.invalid_lines")
    assert (snapshot(selling.hub), purchasing_rows(selling.hub)) == before

    selling.client.put(f"{PURCHASING}/factories/factory", json={"daily_capacity": 100}, headers=selling.headers())
    made = selling.post(ORDERS, {**body, "lines": [{"sku": "CAP-BLK", "quantity": 300}]})
    before = (snapshot(selling.hub), purchasing_rows(selling.hub))
    over = selling.client.post(ORDERS, json={**body, "lines": [{"sku": "CAP-BLK", "quantity": 201}]},
                               headers=selling.headers())

    assert made["kind"] == "production" and made["state"] == "draft"
    error = assert_error(over, 409, "purchasing.over_capacity")
    assert error["details"] == {"room": 200, "wanted": 201}  # 5 days × 100 − 300 already booked
    assert (snapshot(selling.hub), purchasing_rows(selling.hub)) == before
    suggested = selling.get(SUGGESTIONS)["suggestions"]
    assert [s["kind"] for s in suggested if s["sku"] == "CAP-BLK"] == ["production"]  # a factory makes it


def test_an_order_expected_before_today_is_refused_and_nothing_is_written(selling: Api, clock) -> None:
    set_terms(selling, "mill-1", "TEE-RED-M", lead_time_days=10)
    yesterday = (clock.now().date() - timedelta(days=1)).isoformat()
    before = (snapshot(selling.hub), purchasing_rows(selling.hub))

    past = selling.client.post(ORDERS, json={**order_body("mill-1", {"TEE-RED-M": 12}), "expected_on": yesterday},
                               headers=selling.headers())

    error = assert_error(past, 422, "purchasing.expected_date_past")
    assert error["details"]["expected_on"] == yesterday
    assert (snapshot(selling.hub), purchasing_rows(selling.hub)) == before
    today = selling.post(ORDERS, {**order_body("mill-1", {"TEE-RED-M": 12}),
                                  "expected_on": clock.now().date().isoformat()})
    assert today["state"] == "draft"


def test_the_portal_gives_the_forecast_per_node_and_in_all(selling: Api) -> None:
    mine = add_supplier(selling, "mill-2")
    set_terms(selling, "mill-2", "TEE-RED-M")

    (tee,) = selling.client.get(f"{PURCHASING}/portal", headers=mine.headers()).json()["skus"]

    (node,) = tee["forecast_by_node"]
    assert node["location"] == "WH-CENTRAL"
    assert node["forecast_28d"] == tee["forecast_28d"]
    assert 28 * 3 * 0.8 <= tee["forecast_28d"] <= 28 * 3 * 1.2  # three a day sold for eight weeks


def test_a_sku_that_sold_out_the_only_day_it_sold_is_forecast_from_what_it_sold(selling: Api, clock) -> None:
    builders.create_sku(selling.hub, selling.tenant.admin, "MUG-HOT")
    builders.receive(selling.hub, selling.tenant.admin, "MUG-HOT", "WH-CENTRAL", 5)
    builders.import_order(selling.hub, selling.tenant.admin, external_id="HOT-1",
                          lines=[builders.line("MUG-HOT", quantity=5)])  # all five, the day they came
    clock.advance(days=1)
    mine = add_supplier(selling, "mill-2")
    set_terms(selling, "mill-2", "MUG-HOT")

    (mug,) = selling.client.get(f"{PURCHASING}/portal", headers=mine.headers()).json()["skus"]

    assert mug["stock"] == [{"location": "WH-CENTRAL", "on_hand": 5, "available": 0}]
    assert mug["forecast_28d"] >= 5  # at least what it sold, not 0 for a day whose demand was cut short


def test_a_sku_that_sold_only_today_has_not_enough_history_rather_than_a_forecast_of_0(selling: Api) -> None:
    builders.create_sku(selling.hub, selling.tenant.admin, "MUG-NEW")
    builders.receive(selling.hub, selling.tenant.admin, "MUG-NEW", "WH-CENTRAL", 9)
    builders.import_order(selling.hub, selling.tenant.admin, external_id="NEW-1",
                          lines=[builders.line("MUG-NEW", quantity=2)])  # today: no whole day of history yet
    mine = add_supplier(selling, "mill-2")
    set_terms(selling, "mill-2", "MUG-NEW")
    set_terms(selling, "mill-2", "TEE-RED-M")

    skus = {s["sku"]: s for s in selling.client.get(f"{PURCHASING}/portal", headers=mine.headers()).json()["skus"]}

    mug, tee = skus["MUG-NEW"], skus["TEE-RED-M"]
    assert mug["forecast_28d"] is None and mug["forecast_by_node"] == [{"location": "WH-CENTRAL",
                                                                        "forecast_28d": None}]
    assert mug["stock"] == [{"location": "WH-CENTRAL", "on_hand": 9, "available": 7}]
    assert tee["forecast_28d"] > 0  # a SKU with its weeks of history beside it is forecast as before

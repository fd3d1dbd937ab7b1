"""The supplier portal over HTTP on SQLite and PostgreSQL: a supplier's key sees its own orders and nothing
else, confirms an order, announces a shipment, and the receipt lands in the ledger. Every refusal changes
nothing (stock, ledger, outbox, audit, purchasing rows)."""

import pytest

from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.purchasing import (
    ORDERS,
    PURCHASING,
    Supplier,
    add_supplier,
    announce,
    confirmed_order,
    purchasing_rows,
    sent_order,
    set_terms,
    stock_for_purchasing,
)
from flexhub.testing.snapshots import ledger, ledger_differences, snapshot


@pytest.fixture
def mills(api: Api) -> tuple[Supplier, Supplier]:
    """Two suppliers of TEE-RED-M and TEE-BLUE-M to WH-CENTRAL; each has one order sent to it."""
    stock_for_purchasing(api, skus=("TEE-RED-M", "TEE-BLUE-M"))
    mine, other = add_supplier(api, "mill-1"), add_supplier(api, "mill-2")
    set_terms(api, "mill-1", "TEE-RED-M", moq=12, pack=6)
    set_terms(api, "mill-2", "TEE-BLUE-M", unit_cost=1800)
    return mine, other


def unchanged(api: Api):
    return snapshot(api.hub), purchasing_rows(api.hub)


def test_a_supplier_sees_its_own_orders_confirms_ships_and_the_receipt_lands_in_the_ledger(api: Api, mills) -> None:
    mine, other = mills
    own = sent_order(api, "mill-1", {"TEE-RED-M": 24})
    theirs = sent_order(api, "mill-2", {"TEE-BLUE-M": 10})

    listed = api.client.get(ORDERS, headers=mine.headers()).json()["orders"]
    assert [o["id"] for o in listed] == [own["id"]]
    assert own["total"] == 24 * 2500 and own["currency"] == "CNY" and own["state"] == "sent"

    before = unchanged(api)
    for method, path in (("get", f"{ORDERS}/{theirs['id']}"), ("post", f"{ORDERS}/{theirs['id']}/confirm"),
                         ("post", f"{ORDERS}/{theirs['id']}/asns")):
        body = {"expected_on": "2030-01-01", "lines": [{"sku": "TEE-BLUE-M", "quantity": 1}]}
        response = api.client.request(method, path, headers=mine.headers(), json=body if method == "post" else None)
        assert_error(response, 404, "purchasing.unknown_order")
    assert unchanged(api) == before

    confirmed = api.client.post(f"{ORDERS}/{own['id']}/confirm", headers=mine.headers())
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["state"] == "confirmed"

    asn = announce(api, mine, own["id"], {"TEE-RED-M": 24})
    assert (asn["state"], asn["carrier"], asn["tracking_number"]) == ("announced", "sf", "SF1234567890")
    seen = api.client.get(f"{ORDERS}/{own['id']}", headers=mine.headers()).json()
    assert seen["lines"][0]["announced"] == 24 and seen["lines"][0]["open"] == 0

    receipt = api.post(f"{PURCHASING}/asns/{asn['id']}/receive", {}, status=200)

    assert receipt["order_state"] == "received" and receipt["discrepancies"] == []
    # the 24 sent were presale until they came in (purchasing/presale.py)
    assert api.levels("TEE-RED-M") == [
        {"location": "WH-CENTRAL", "pool": "presale", "on_hand": 0, "reserved": 0, "safety": 0, "in_transit": 0,
         "available": 0},
        {"location": "WH-CENTRAL", "pool": "spot", "on_hand": 24, "reserved": 0, "safety": 0, "in_transit": 0,
         "available": 24}]
    movement = next(m for m in ledger(api.hub) if m.pool == "spot")
    assert (movement.kind, movement.on_hand_delta, movement.reason) == ("receive", 24, "supplier delivery")
    assert movement.reference == f"po:{own['id']}/asn:{asn['id']}"
    assert movement.actor == api.tenant.actor_name("admin")
    assert ledger_differences(api.hub) == []


def test_receiving_a_notice_twice_is_refused_and_changes_nothing(api: Api, mills) -> None:
    mine, _ = mills
    order = confirmed_order(api, mine, {"TEE-RED-M": 12})
    asn = announce(api, mine, order["id"], {"TEE-RED-M": 12})
    api.post(f"{PURCHASING}/asns/{asn['id']}/receive", {}, status=200)
    before = unchanged(api)

    again = api.client.post(f"{PURCHASING}/asns/{asn['id']}/receive", json={}, headers=api.headers())

    assert_error(again, 409, "purchasing.asn_already_received")
    assert unchanged(api) == before


def test_another_tenants_supplier_key_finds_nothing(api: Api, mills) -> None:
    mine, _ = mills
    order = sent_order(api, "mill-1", {"TEE-RED-M": 12})
    elsewhere = api.add_tenant("globex")
    before = unchanged(api)

    for role in ("partner", "admin"):
        response = api.client.get(f"{ORDERS}/{order['id']}", headers=elsewhere.headers(role))
        assert_error(response, 404, "purchasing.unknown_order")
    assert api.client.get(ORDERS, headers=elsewhere.headers("admin")).json() == {"orders": []}
    assert unchanged(api) == before


def test_a_reseller_key_cannot_answer_for_a_supplier(api: Api, mills) -> None:
    order = sent_order(api, "mill-1", {"TEE-RED-M": 12})
    before = unchanged(api)

    response = api.client.post(f"{ORDERS}/{order['id']}/confirm", headers=api.headers("partner"))

    assert_error(response, 403, "purchasing.not_a_supplier")
    assert unchanged(api) == before


def test_a_supplier_cannot_do_the_brands_steps_nor_the_brand_the_suppliers(api: Api, mills) -> None:
    mine, _ = mills
    order = sent_order(api, "mill-1", {"TEE-RED-M": 12})
    before = unchanged(api)

    cancel = api.client.post(f"{ORDERS}/{order['id']}/cancel", headers=mine.headers())
    confirm = api.client.post(f"{ORDERS}/{order['id']}/confirm", headers=api.headers("operator"))
    receive = api.client.post(f"{PURCHASING}/asns/{order['id']}/receive", headers=mine.headers())

    for response in (cancel, confirm, receive):
        assert_error(response, 403, "auth.forbidden")
    assert unchanged(api) == before


def test_a_supplier_changes_quantity_and_date_and_the_brand_accepts(api: Api, mills) -> None:
    mine, _ = mills
    order = sent_order(api, "mill-1", {"TEE-RED-M": 24}, expected_on="2030-01-05")

    changed = api.client.post(f"{ORDERS}/{order['id']}/change", headers=mine.headers(),
                              json={"quantities": {"TEE-RED-M": 18}, "expected_on": "2030-01-09"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["state"] == "changed" and changed.json()["proposed_on"] == "2030-01-09"
    assert changed.json()["lines"][0]["proposed_quantity"] == 18

    accepted = api.post(f"{ORDERS}/{order['id']}/accept-change", {}, status=200)

    assert (accepted["state"], accepted["expected_on"], accepted["proposed_on"]) == ("confirmed", "2030-01-09", None)
    assert (accepted["lines"][0]["quantity"], accepted["lines"][0]["proposed_quantity"]) == (18, None)
    assert accepted["total"] == 18 * 2500


def test_a_change_that_changes_nothing_is_refused(api: Api, mills) -> None:
    mine, _ = mills
    order = sent_order(api, "mill-1", {"TEE-RED-M": 24})
    before = unchanged(api)

    response = api.client.post(f"{ORDERS}/{order['id']}/change", headers=mine.headers(),
                               json={"quantities": {"TEE-RED-M": 24}})

    assert_error(response, 422, "purchasing.invalid_lines")
    assert unchanged(api) == before


def test_announcing_more_than_is_open_is_refused(api: Api, mills) -> None:
    mine, _ = mills
    order = confirmed_order(api, mine, {"TEE-RED-M": 12})
    announce(api, mine, order["id"], {"TEE-RED-M": 10})
    before = unchanged(api)

    response = api.client.post(f"{ORDERS}/{order['id']}/asns", headers=mine.headers(), json={
        "expected_on": "2030-01-10", "lines": [{"sku": "TEE-RED-M", "quantity": 3}]})

    error = assert_error(response, 409, "purchasing.over_announced")
    assert error["details"]["open"] == {"TEE-RED-M": 2}
    assert unchanged(api) == before


def test_a_short_and_an_unexpected_sku_become_discrepancies_in_the_exceptions_queue(api: Api, mills) -> None:
    mine, _ = mills
    order = confirmed_order(api, mine, {"TEE-RED-M": 12})
    asn = announce(api, mine, order["id"], {"TEE-RED-M": 12})

    receipt = api.post(f"{PURCHASING}/asns/{asn['id']}/receive", {"lines": [
        {"sku": "TEE-RED-M", "quantity": 10}, {"sku": "TEE-BLUE-M", "quantity": 2}]}, status=200)

    assert receipt["order_state"] == "partly_received"
    assert [(d["sku"], d["kind"], d["expected"], d["received"]) for d in receipt["discrepancies"]] == [
        ("TEE-BLUE-M", "unexpected", 0, 2), ("TEE-RED-M", "short", 12, 10)]
    queue = api.get("/api/v1/exceptions")["purchasing"]
    assert {(d["sku"], d["kind"]) for d in queue} == {("TEE-BLUE-M", "unexpected"), ("TEE-RED-M", "short")}
    short = next(d for d in queue if d["kind"] == "short")
    assert [a["action"] for a in short["actions"]] == ["expect_rest", "close_order"]
    assert {lv["location"]: lv["on_hand"] for lv in api.levels("TEE-BLUE-M")} == {"WH-CENTRAL": 2}

    unexpected = next(d for d in queue if d["kind"] == "unexpected")
    api.post(unexpected["actions"][1]["path"], unexpected["actions"][1]["body"], status=200)
    closed = api.post(short["actions"][1]["path"], short["actions"][1]["body"], status=200)

    assert closed["resolution"] == "close_order"
    assert api.get(f"{ORDERS}/{order['id']}")["state"] == "closed"
    assert {lv["location"]: lv["on_hand"] for lv in api.levels("TEE-BLUE-M")} == {"WH-CENTRAL": 0}
    assert api.get("/api/v1/exceptions")["purchasing"] == []
    assert ledger_differences(api.hub) == []


def test_the_portal_shows_the_suppliers_skus_stock_and_whats_coming(api: Api, mills) -> None:
    mine, _ = mills
    api.post("/api/v1/inventory/adjustments", {"sku": "TEE-RED-M", "location": "WH-CENTRAL", "quantity_delta": 7,
                                                "reason": "count"})
    order = confirmed_order(api, mine, {"TEE-RED-M": 24})
    announce(api, mine, order["id"], {"TEE-RED-M": 6})

    portal = api.client.get(f"{PURCHASING}/portal", headers=mine.headers()).json()

    assert portal["supplier"] == "mill-1"
    assert [(s["sku"], s["on_order"], s["in_transit"]) for s in portal["skus"]] == [("TEE-RED-M", 18, 6)]
    assert portal["skus"][0]["stock"] == [{"location": "WH-CENTRAL", "on_hand": 7, "available": 7}]
    assert [o["id"] for o in portal["orders"]] == [order["id"]]
    assert_error(api.client.get(f"{PURCHASING}/portal", headers=api.headers("partner")), 403,
                 "purchasing.not_a_supplier")

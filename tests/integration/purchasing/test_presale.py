"""Presale fed by purchase orders, through the ledger, on SQLite and PostgreSQL: a sent order's units become presale
stock at its node, promised for its date; presale orders reserve them; the goods that arrive serve the presale
orders first (their reservations move to the spot units received) and leave presale; a cancelled order takes back
what nobody bought. Every step is a ledger movement referencing the order, and the levels are the ledger's sum."""

from collections.abc import Iterator

import pytest

from flexhub.testing import builders
from flexhub.testing.api_client import ORDERS, Api, api_over
from flexhub.testing.purchasing import ORDERS as PURCHASE_ORDERS
from flexhub.testing.purchasing import (
    PURCHASING,
    Supplier,
    add_supplier,
    announce,
    confirmed_order,
    sent_order,
    set_terms,
    stock_for_purchasing,
)
from flexhub.testing.snapshots import ledger, ledger_differences

PRESALE = f"{PURCHASING}/presale"


@pytest.fixture
def shop(database_url: str) -> Iterator[tuple[Api, Supplier]]:
    """TEE-RED-M with nothing at WH-CENTRAL, mill-1 supplying it; `preorder` sells spot and presale."""
    with api_over(database_url) as api:
        stock_for_purchasing(api)
        mill = add_supplier(api)
        set_terms(api, "mill-1", "TEE-RED-M")
        builders.create_channel(api.hub, api.tenant.admin, "preorder", pools=["spot", "presale"])
        yield api, mill


def pools(api: Api) -> dict[str, tuple[int, int]]:
    """(on hand, reserved) per pool at WH-CENTRAL."""
    return {lv["pool"]: (lv["on_hand"], lv["reserved"]) for lv in api.levels() if lv["location"] == "WH-CENTRAL"}


def presale_order(api: Api, external_id: str, units: int) -> dict:
    body = builders.order_body(external_id, [builders.line(quantity=units, presale=True)], channel="preorder")
    return api.post(ORDERS, body)


def held_by(api: Api, order: dict) -> list[tuple[str, int]]:
    """(pool, units) of the order's active reservations."""
    return sorted((r["pool"], r["quantity"]) for r in api.get(f"{ORDERS}/{order['id']}")["reservations"]
                  if r["state"] == "active")


def presale_movements(api: Api, order_id: str) -> list[tuple[str, int, int, str]]:
    return [(m.kind, m.on_hand_delta, m.reserved_delta, m.reason) for m in ledger(api.hub, api.tenant.admin.tenant_id)
            if m.pool == "presale" and m.reference == f"po:{order_id}"]


def test_expected_receipts_are_presale_until_they_arrive(shop: tuple[Api, Supplier]) -> None:
    api, mill = shop
    order = confirmed_order(api, mill, {"TEE-RED-M": 100}, expected_on="2030-01-20")
    assert pools(api) == {"presale": (100, 0)}
    (view,) = api.get(PRESALE, role="viewer", sku="TEE-RED-M")["presale"]
    assert (view["expected"], view["free"], view["next_promise_on"]) == (100, 100, "2030-01-20")
    assert [(r["units"], r["promised_on"]) for r in view["receipts"]] == [(100, "2030-01-20")]

    first = presale_order(api, "PRE-1", 30)
    presale_order(api, "PRE-2", 20)
    assert first["status"] == "reserved" and pools(api) == {"presale": (100, 50)}

    notice = announce(api, mill, order["id"], {"TEE-RED-M": 60})
    api.post(f"{PURCHASING}/asns/{notice['id']}/receive", {}, status=200)

    # 60 arrived: both presale orders now hold spot units, 40 are still to come and free to sell ahead
    assert pools(api) == {"presale": (40, 0), "spot": (60, 50)}
    assert held_by(api, first) == [("spot", 30)]
    assert presale_movements(api, order["id"]) == [("adjust", 100, 0, "expected receipt"),
                                                    ("adjust", -60, 0, "arrived")]
    (view,) = api.get(PRESALE, sku="TEE-RED-M")["presale"]
    assert (view["expected"], view["promised"], view["receipts"][0]["units"]) == (40, 0, 40)
    assert ledger_differences(api.hub, api.tenant.admin.tenant_id) == []


def test_arrivals_serve_the_oldest_presale_orders_first(shop: tuple[Api, Supplier]) -> None:
    api, mill = shop
    order = confirmed_order(api, mill, {"TEE-RED-M": 50})
    first, second = presale_order(api, "PRE-1", 30), presale_order(api, "PRE-2", 20)

    notice = announce(api, mill, order["id"], {"TEE-RED-M": 40})
    api.post(f"{PURCHASING}/asns/{notice['id']}/receive", {}, status=200)

    assert pools(api) == {"presale": (10, 10), "spot": (40, 40)}
    assert (held_by(api, first), held_by(api, second)) == ([("spot", 30)], [("presale", 10), ("spot", 10)])
    assert ledger_differences(api.hub, api.tenant.admin.tenant_id) == []


def test_a_cancelled_order_takes_back_what_nobody_bought(shop: tuple[Api, Supplier]) -> None:
    api, _ = shop
    order = sent_order(api, "mill-1", {"TEE-RED-M": 50})
    presale_order(api, "PRE-1", 10)

    api.post(f"{PURCHASE_ORDERS}/{order['id']}/cancel", {}, status=200)

    assert pools(api) == {"presale": (10, 10)}  # the 10 sold stay promised; 40 nobody bought are gone
    assert presale_movements(api, order["id"]) == [("adjust", 50, 0, "expected receipt"),
                                                    ("adjust", -40, 0, "no longer expected")]
    (view,) = api.get(PRESALE)["presale"]
    assert (view["expected"], view["free"], view["receipts"], view["next_promise_on"]) == (10, 0, [], None)


def test_a_draft_backs_no_presale_and_partners_see_none(shop: tuple[Api, Supplier]) -> None:
    api, mill = shop
    api.post(PURCHASE_ORDERS, {"supplier": "mill-1", "location": "WH-CENTRAL",
                               "lines": [{"sku": "TEE-RED-M", "quantity": 10}]})
    assert pools(api) == {} and api.get(PRESALE)["presale"] == []
    assert api.client.get(PRESALE, headers=mill.headers()).status_code == 403

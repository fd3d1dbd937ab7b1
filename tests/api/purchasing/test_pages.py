"""The purchasing pages over HTTP (no browser): the brand sends and receives, the supplier confirms and
announces from its own view, each sees only its actions; a refused post leaves everything as it was."""

import re

import pytest

from flexhub.alerts.commands import RaiseAlerts
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.clocks import movable_clock
from flexhub.testing.purchasing import (
    ORDERS,
    Supplier,
    add_supplier,
    announce,
    confirmed_order,
    purchasing_rows,
    receive_notice,
    selling_shop,
    set_terms,
    stock_for_purchasing,
)
from flexhub.testing.purchasing import order_body as purchase_body
from flexhub.testing.snapshots import level, snapshot


@pytest.fixture
def mill(api: Api) -> Supplier:
    stock_for_purchasing(api)
    supplier = add_supplier(api, "mill-1")
    set_terms(api, "mill-1", "TEE-RED-M")
    return supplier


def sign_in(api: Api, token: str) -> None:
    api.client.cookies.clear()
    answer = api.client.post("/login", data={"api_key": token}, follow_redirects=False)
    assert answer.status_code == 303


def test_the_brand_sends_the_supplier_confirms_and_ships_the_brand_receives(api: Api, mill: Supplier) -> None:
    order = api.post(ORDERS, purchase_body("mill-1", {"TEE-RED-M": 12}, reference="PO-7"))
    sign_in(api, api.tenant.tokens["operator"])
    listed = api.client.get("/purchasing").text
    assert f'data-order="{order["id"]}"' in listed and "PO-7" in listed
    assert 'data-action="send"' in api.client.get(f"/purchasing/{order['id']}").text
    assert api.client.post(f"/purchasing/{order['id']}/step", data={"step": "send"},
                           follow_redirects=False).status_code == 303

    sign_in(api, mill.token)
    mine = api.client.get(f"/purchasing/{order['id']}").text
    assert 'data-action="confirm"' in mine and 'data-action="send"' not in mine and 'data-action="cancel"' not in mine
    assert api.client.post(f"/purchasing/{order['id']}/confirm", follow_redirects=False).status_code == 303
    announced = api.client.post(f"/purchasing/{order['id']}/asns", follow_redirects=False, data={
        "qty:TEE-RED-M": "12", "expected_on": "2030-01-10", "carrier": "sf", "tracking_number": "SF9"})
    assert announced.status_code == 303
    portal = api.client.get("/supplier").text
    assert re.search(r'data-figure="in_transit">12<', portal) and re.search(r'data-figure="on_order">0<', portal)

    sign_in(api, api.tenant.tokens["operator"])
    page = api.client.get(f"/purchasing/{order['id']}").text
    asn_id = re.search(r'data-asn="([0-9a-f-]{36})"', page).group(1)
    received = api.client.post(f"/purchasing/{order['id']}/asns/{asn_id}/receive", follow_redirects=False)

    assert received.status_code == 303
    assert 'data-state="received"' in api.client.get(f"/purchasing/{order['id']}").text
    assert level(api.hub, api.tenant.admin, "TEE-RED-M")["on_hand"] == 12


def test_a_refused_step_is_shown_on_the_page_and_a_viewer_may_not_post(api: Api, mill: Supplier) -> None:
    order = api.post(ORDERS, purchase_body("mill-1", {"TEE-RED-M": 12}))
    sign_in(api, api.tenant.tokens["admin"])
    before = (snapshot(api.hub), purchasing_rows(api.hub))

    closed = api.client.post(f"/purchasing/{order['id']}/step", data={"step": "close"})
    assert closed.status_code == 409 and 'data-code="purchasing.invalid_transition"' in closed.text
    sign_in(api, api.tenant.tokens["viewer"])
    assert 'data-action="send"' not in api.client.get(f"/purchasing/{order['id']}").text
    assert_error(api.client.post(f"/purchasing/{order['id']}/step", data={"step": "send"}), 403, "auth.forbidden")
    sign_in(api, mill.token)
    assert api.client.get(f"/purchasing/{order['id']}").status_code == 404  # not sent to it: still the brand's draft
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before


def test_the_alerts_page_lists_predicted_stock_outs(api: Api) -> None:
    with movable_clock() as clock:
        selling_shop(api, clock)
        api.hub.handle(RaiseAlerts())
    sign_in(api, api.tenant.tokens["viewer"])

    page = api.client.get("/alerts").text

    assert "/alerts" in page and 'data-table="alerts"' in page
    assert 'data-alert="stockout:TEE-RED-M:WH-CENTRAL"' in page


def test_the_pages_speak_chinese(api: Api, mill: Supplier) -> None:
    order = api.post(ORDERS, purchase_body("mill-1", {"TEE-RED-M": 12}))
    sign_in(api, api.tenant.tokens["admin"])
    api.client.get("/lang/zh_Hans?back=/purchasing")

    listed = api.client.get("/purchasing").text
    one = api.client.get(f"/purchasing/{order['id']}").text

    assert "<h1>采购单</h1>" in listed and ">采购<" in listed and ">预警<" in listed
    assert "发送给供应商" in one and "收货差异" in one
    sign_in(api, mill.token)
    api.client.get("/lang/zh_Hans?back=/supplier")
    assert "供应商门户" in api.client.get("/supplier").text


def test_a_short_receipt_waits_on_the_exceptions_page_with_the_way_to_resolve_it(api: Api, mill: Supplier) -> None:
    order = confirmed_order(api, mill, {"TEE-RED-M": 10})
    notice = announce(api, mill, order["id"], {"TEE-RED-M": 10})
    receive_notice(api.hub, api.tenant.admin, notice["id"], counted={"TEE-RED-M": 7})
    sign_in(api, api.tenant.tokens["operator"])

    page = api.client.get("/exceptions").text

    row = re.search(r'<tr data-discrepancy="[^"]+">([\s\S]*?)</tr>', page)
    assert row, page
    assert "TEE-RED-M" in row.group(1) and f'href="/purchasing/{order["id"]}"' in row.group(1)
    assert re.search(r'<td class="num">10</td><td class="num">7</td>', row.group(1))
    assert 'data-action="resolve"' in row.group(1)

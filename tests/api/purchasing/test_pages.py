"""The purchasing pages over HTTP (no browser): the brand sends and receives, the supplier confirms and
announces from its own view, each sees only its actions; a refused post leaves everything as it was."""

import re

import pytest

from flexhub.alerts.commands import RaiseAlerts
from flexhub.testing import builders
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


# --- the new-order form, drafting from suggestions, Close and Cancel asked again, the announce form -------------

def new_order_form(**fields: str) -> dict[str, object]:
    """The form as a browser posts it: one `sku`, `quantity` and `unit_cost` per line row, blanks included."""
    form = {"supplier": "mill-1", "location": "WH-CENTRAL", "kind": "purchase", "expected_on": "", "currency": "",
            "reference": "PO-FORM", "sku": ["TEE-RED-M", ""], "quantity": ["12", ""], "unit_cost": ["24.50", ""]}
    return {**form, **fields}


def test_the_new_order_form_places_a_draft_with_the_costs_typed_in_yuan(api: Api, mill: Supplier) -> None:
    sign_in(api, api.tenant.tokens["operator"])
    form = api.client.get("/purchasing/new").text
    assert '<option value="mill-1"' in form and "<option >WH-CENTRAL</option>" in form.replace("<option>", "<option >")

    placed = api.client.post("/purchasing", data=new_order_form(), follow_redirects=False)

    assert placed.status_code == 303, placed.text
    order_id = placed.headers["location"].rsplit("/", 1)[1]
    order = api.get(f"{ORDERS}/{order_id}")
    assert (order["state"], order["reference"], order["currency"]) == ("draft", "PO-FORM", "CNY")
    assert [(x["sku"], x["quantity"], x["unit_cost"]) for x in order["lines"]] == [("TEE-RED-M", 12, 2450)]
    assert "¥294.00" in api.client.get(f"/purchasing/{order_id}").text  # 12 × 24.50, in the page's money


@pytest.mark.parametrize(("fields", "status", "code", "field"), [
    ({"supplier": ""}, 422, "purchasing.incomplete_order", "supplier"),
    ({"location": "WH-NOWHERE"}, 404, "inventory.unknown_location", "location"),
    ({"expected_on": "2020-01-01"}, 422, "purchasing.expected_date_past", "expected_on"),
    ({"expected_on": "next week"}, 422, "request.invalid", "expected_on"),
    ({"currency": "yuan"}, 422, "request.invalid", "currency"),
    ({"quantity": ["0", ""]}, 422, "purchasing.invalid_lines", "quantity-1"),
    ({"sku": ["TEE-RED-M", "TEE-GONE"], "quantity": ["12", "3"]}, 404, "catalog.unknown_sku", "sku-2"),
    ({"sku": ["TEE-RED-M", "TEE-RED-M"], "quantity": ["12", "3"]}, 422, "purchasing.invalid_lines", "sku-2"),
    ({"sku": ["", ""], "quantity": ["", "4"]}, 422, "purchasing.invalid_lines", "sku-1"),  # blank rows go last
    ({"unit_cost": ["24.505", ""]}, 422, "purchasing.invalid_lines", "unit_cost-1"),
    ({"sku": ["", ""], "quantity": ["", ""], "unit_cost": ["", ""]}, 422, "purchasing.invalid_lines", "sku-1"),
])
def test_a_refused_form_points_at_its_field_keeps_what_was_typed_and_writes_nothing(
        api: Api, mill: Supplier, fields: dict, status: int, code: str, field: str) -> None:
    sign_in(api, api.tenant.tokens["operator"])
    before = (snapshot(api.hub), purchasing_rows(api.hub))

    answer = api.client.post("/purchasing", data=new_order_form(**fields), follow_redirects=False)

    assert answer.status_code == status, answer.text
    assert f'data-code="{code}" data-field="{field}"' in answer.text
    name, _, n = field.partition("-")
    invalid = re.findall(r'<(?:input|select)\b[^>]*\bname="([a-z_]+)"[^>]*aria-invalid="true"', answer.text)
    assert invalid == [name]
    if n:  # the line's row is the one marked
        row = re.search(rf'<tr data-line="{n}">([\s\S]*?)</tr>', answer.text).group(1)
        assert f'name="{name}"' in row and 'aria-invalid="true"' in row
    assert 'value="PO-FORM"' in answer.text  # what was typed is kept
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before


def test_only_the_brands_buyers_may_open_or_post_the_form(api: Api, mill: Supplier) -> None:
    before = (snapshot(api.hub), purchasing_rows(api.hub))
    for token in (api.tenant.tokens["viewer"], mill.token):
        sign_in(api, token)
        assert_error(api.client.get("/purchasing/new"), 403, "auth.forbidden")
        assert_error(api.client.post("/purchasing", data=new_order_form()), 403, "auth.forbidden")
        assert_error(api.client.post("/purchasing/from-suggestions"), 403, "auth.forbidden")
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before


def test_drafting_from_suggestions_shows_what_was_made_and_what_has_no_supplier(api: Api) -> None:
    with movable_clock() as clock:
        selling_shop(api, clock)  # eight weeks of tees and caps; mill-1 supplies neither yet
        set_terms(api, "mill-1", "TEE-RED-M", lead_time_days=10, pack=6, unit_cost=2100)
        sign_in(api, api.tenant.tokens["operator"])
        assert 'data-action="from-suggestions"' in api.client.get("/purchasing").text

        made = api.client.post("/purchasing/from-suggestions")
        again = api.client.post("/purchasing/from-suggestions")

    drafts = api.get(ORDERS, state="draft")["orders"]
    assert [(o["supplier"], o["location"], o["kind"]) for o in drafts] == [("mill-1", "WH-CENTRAL", "purchase")]
    assert re.findall(r'data-drafted="([0-9a-f-]{36})"', made.text) == [drafts[0]["id"]]
    assert re.search(r"data-unsourced>[^<]*CAP-BLK", made.text)
    assert "data-drafted-none" in again.text and "data-drafted=" not in again.text  # now on order: nothing more


def test_close_and_cancel_are_asked_again_before_they_are_taken(api: Api, mill: Supplier) -> None:
    order = api.post(ORDERS, purchase_body("mill-1", {"TEE-RED-M": 12}, reference="PO-9"))
    sign_in(api, api.tenant.tokens["operator"])
    page = api.client.get(f"/purchasing/{order['id']}").text
    assert f'action="/purchasing/{order["id"]}/steps/cancel"' in page and 'method="get"' in page
    before = (snapshot(api.hub), purchasing_rows(api.hub))

    unasked = api.client.post(f"/purchasing/{order['id']}/step", data={"step": "cancel"}, follow_redirects=False)
    asked = api.client.get(f"/purchasing/{order['id']}/steps/cancel")
    not_now = api.client.get(f"/purchasing/{order['id']}/steps/close")  # a draft cannot be closed

    assert unasked.status_code == 303 and unasked.headers["location"] == f"/purchasing/{order['id']}/steps/cancel"
    assert asked.status_code == 200 and 'data-confirm="cancel"' in asked.text and "PO-9" in asked.text
    assert "12 units it was to bring" in asked.text and 'name="confirmed" value="yes"' in asked.text
    assert not_now.status_code == 409 and 'data-code="purchasing.invalid_transition"' in not_now.text
    assert (snapshot(api.hub), purchasing_rows(api.hub)) == before  # asking writes nothing

    taken = api.client.post(f"/purchasing/{order['id']}/step", data={"step": "cancel", "confirmed": "yes"},
                            follow_redirects=False)

    assert taken.status_code == 303
    assert api.get(f"{ORDERS}/{order['id']}")["state"] == "cancelled"
    sign_in(api, api.tenant.tokens["viewer"])
    assert_error(api.client.get(f"/purchasing/{order['id']}/steps/cancel"), 403, "auth.forbidden")


def test_once_everything_is_announced_the_supplier_sees_no_announce_form(api: Api, mill: Supplier) -> None:
    order = confirmed_order(api, mill, {"TEE-RED-M": 10})
    sign_in(api, mill.token)
    assert 'data-form="asn"' in api.client.get(f"/purchasing/{order['id']}").text
    announce(api, mill, order["id"], {"TEE-RED-M": 4})
    assert 'data-form="asn"' in api.client.get(f"/purchasing/{order['id']}").text  # six still to ship

    announce(api, mill, order["id"], {"TEE-RED-M": 6})
    page = api.client.get(f"/purchasing/{order['id']}").text

    assert 'data-form="asn"' not in page and 'data-announced="all"' in page


def test_a_supplier_lands_on_its_portal_and_its_menu_is_its_own(api: Api, mill: Supplier) -> None:
    api.client.cookies.clear()
    signed = api.client.post("/login", data={"api_key": mill.token, "next": "/"}, follow_redirects=False)
    landing = api.client.get(signed.headers["location"], follow_redirects=False)

    assert landing.status_code == 303 and landing.headers["location"] == "/supplier"
    portal = api.client.get("/supplier").text
    menu = re.search(r"<nav>([\s\S]*?)</nav>", portal).group(1)
    assert re.findall(r'href="([^"]+)"', menu) == ["/supplier", "/purchasing", "/exceptions"]
    assert 'data-table="supplier-stock"' in portal


def test_the_portal_says_not_enough_history_for_a_sku_that_sold_only_today(api: Api, mill: Supplier) -> None:
    builders.create_sku(api.hub, api.tenant.admin, "MUG-NEW")
    builders.create_channel(api.hub, api.tenant.admin)
    builders.receive(api.hub, api.tenant.admin, "MUG-NEW", "WH-CENTRAL", 9)
    builders.import_order(api.hub, api.tenant.admin, external_id="NEW-1", lines=[builders.line("MUG-NEW", quantity=2)])
    set_terms(api, "mill-1", "MUG-NEW")
    sign_in(api, mill.token)

    portal = api.client.get("/supplier").text
    api.client.get("/lang/zh_Hans?back=/supplier")
    chinese = api.client.get("/supplier").text

    mug = re.findall(r'<tr data-sku="MUG-NEW"[\s\S]*?</tr>', portal)
    assert len(mug) == 2 and all('data-figure="forecast"><span class="muted" data-no-forecast>Not enough history<'
                                 in row for row in mug)
    assert all("历史数据不足</span>" in row for row in re.findall(r'<tr data-sku="MUG-NEW"[\s\S]*?</tr>', chinese))

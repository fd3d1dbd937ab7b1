"""Resellers through the API: terms and a price list set by the brand, orders owed at the reseller's prices, an
order over the credit limit held (nothing reserved) until paid and released, a cancelled order credited, the
month's statement (JSON and CSV) — seen by the reseller's own key, and 404 with nothing changed for another's."""

import io

import openpyxl
import pytest
from tests.api.resellers.conftest import ACCOUNT, RESELLERS, TERMS, place

from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.snapshots import snapshot


def test_the_reseller_reads_its_terms_prices_and_balance(reseller: Api) -> None:
    account = reseller.get(ACCOUNT, role="partner")

    assert account["terms"] == TERMS and account["balance"] == 0 and account["credit_left"] == 20_000
    assert account["prices"] == [{"sku": "TEE-RED-M", "unit_price": 8000, "valid_from": "2020-01-01",
                                  "valid_to": None}]


def test_an_order_is_owed_at_the_price_list_plus_the_dropship_fee(reseller: Api) -> None:
    order = place(reseller, "R-1", quantity=2)

    assert order["status"] == "reserved"
    assert reseller.get(ACCOUNT, role="partner")["balance"] == 2 * 8000 + 300


def test_an_order_over_the_credit_limit_is_held_and_reserves_nothing_until_released(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)  # owes 16300 of 20000

    held = place(reseller, "R-2")  # 8300 more: over the limit

    assert held["status"] == "on_hold" and held["status_reason"] == "held: credit.over_limit"
    assert held["reservations"] == [] and reseller.levels()[0]["reserved"] == 2
    assert reseller.get(ACCOUNT, role="partner")["balance"] == 16_300
    released = reseller.post(f"{ORDERS}/{held['id']}/release", {}, status=200)  # a person decides: over or not
    assert released["status"] == "reserved" and reseller.levels()[0]["reserved"] == 3
    assert reseller.get(ACCOUNT, role="partner")["balance"] == 16_300 + 8_300


def test_a_cancelled_order_is_credited_once(reseller: Api) -> None:
    order = place(reseller, "R-1", quantity=2)

    reseller.post(f"{ORDERS}/{order['id']}/cancel", {"reason": "buyer"}, role="partner", status=200)

    assert reseller.get(ACCOUNT)["balance"] == 0


def test_the_months_statement_in_json_and_csv(reseller: Api) -> None:
    order = place(reseller, "R-1", quantity=2)
    assert place(reseller, "R-2")["status"] == "on_hold"  # over the limit: not owed until released
    reseller.post(f"{ORDERS}/{order['id']}/cancel", {}, role="partner", status=200)
    paid = reseller.post(f"{ACCOUNT}/payments", {"amount": 5_000, "reference": "BANK-7"})  # R-2 fits now

    found = reseller.get(f"{ACCOUNT}/statement", role="partner")

    assert found["opening"] == 0 and found["currency"] == "CNY" and len(paid["released"]) == 1
    assert found["totals"] == {"goods": 24_000, "dropship_fee": 600, "storage_fee": 0, "cancelled": -16_300,
                               "returned": 0, "payment": -5_000}
    assert found["closing"] == 3_300 == reseller.get(ACCOUNT)["balance"]
    assert [(e["kind"], e["reference"]) for e in found["entries"]][-4:] == [
        ("cancelled", "R-1"), ("payment", "BANK-7"), ("goods", "R-2"), ("dropship_fee", "R-2")]
    text = reseller.client.get(f"{ACCOUNT}/statement", params={"format": "csv"},
                               headers=reseller.headers("partner"))
    assert text.status_code == 200 and text.content.startswith("\ufeff".encode())
    rows = text.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "date,kind,reference,amount,currency" and rows[-1] == f",closing,,{found['closing']},CNY"
    book = reseller.client.get(f"{ACCOUNT}/statement", params={"format": "xlsx"}, headers=reseller.headers("partner"))
    assert book.status_code == 200 and book.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["date", "kind", "reference", "amount", "currency"] and cells[-1][1:4] == ["closing", "",
                                                                                                  found["closing"]]
    assert [row[1] for row in cells[2:-1]] == [e["kind"] for e in found["entries"]]


def test_the_price_list_is_the_floor_of_the_price_rule(reseller: Api) -> None:
    reseller.client.put("/api/v1/cleaning/rules", json={"rules": [{"name": "floor", "kind": "price_floor"}]},
                        headers=reseller.headers()).raise_for_status()

    below = place(reseller, "R-1", price=7000)
    above = place(reseller, "R-2", price=9000)

    assert below["status"] == "on_hold" and below["status_reason"] == "held: price.below_floor"
    assert above["status"] == "reserved"
    assert reseller.get(ACCOUNT)["balance"] == 8300  # the held order is owed once it is released


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", f"{RESELLERS}/reseller-2", None),
    ("GET", f"{RESELLERS}/reseller-2/statement", None),
    ("PUT", f"{RESELLERS}/reseller-2/terms", TERMS),
    ("POST", f"{RESELLERS}/reseller-2/payments", {"amount": 1, "reference": "x"}),
])
def test_another_resellers_account_is_404_and_nothing_changes(reseller: Api, method: str, path: str,
                                                             body: dict | None) -> None:
    before = snapshot(reseller.hub)

    response = reseller.client.request(method, path, json=body, headers=reseller.headers("partner"))

    assert response.status_code in (403, 404), response.text
    if method == "GET":
        assert_error(response, 404, "resellers.unknown_reseller")
    assert snapshot(reseller.hub) == before


def test_only_staff_list_resellers_and_only_an_admin_sets_terms(reseller: Api) -> None:
    before = snapshot(reseller.hub)

    assert_error(reseller.client.get(RESELLERS, headers=reseller.headers("partner")), 403, "auth.forbidden")
    assert_error(reseller.client.put(f"{ACCOUNT}/terms", json=TERMS, headers=reseller.headers("operator")), 403,
                 "auth.forbidden")
    assert_error(reseller.client.put(f"{ACCOUNT}/terms", json=TERMS, headers=reseller.headers("partner")), 403,
                 "auth.forbidden")
    assert snapshot(reseller.hub) == before
    assert [r["partner"] for r in reseller.get(RESELLERS, role="viewer")["resellers"]] == ["reseller-1", "reseller-2"]


@pytest.mark.parametrize(("path", "body"), [
    ("terms", {**TERMS, "credit_limit": 200.5}),
    ("terms", {**TERMS, "dropship_fee": "3.00"}),
    ("prices", {"prices": [{"sku": "TEE-RED-M", "unit_price": 79.9, "valid_from": "2020-01-01"}]}),
    ("payments", {"amount": 100.0, "reference": "x"}),
])
def test_a_decimal_amount_is_refused_and_nothing_changes(reseller: Api, path: str, body: dict) -> None:
    before, account = snapshot(reseller.hub), reseller.get(ACCOUNT)
    method = "POST" if path == "payments" else "PUT"

    response = reseller.client.request(method, f"{ACCOUNT}/{path}", json=body, headers=reseller.headers())

    assert_error(response, 422, "request.not_minor_units")
    assert snapshot(reseller.hub) == before and reseller.get(ACCOUNT) == account


def test_an_unknown_sku_or_a_price_ending_before_it_starts_is_refused(reseller: Api) -> None:
    before = reseller.get(ACCOUNT)
    unknown = {"prices": [{"sku": "NOPE", "unit_price": 1, "valid_from": "2020-01-01"}]}
    backwards = {"prices": [{"sku": "TEE-RED-M", "unit_price": 1, "valid_from": "2020-02-01",
                             "valid_to": "2020-01-01"}]}

    assert_error(reseller.client.put(f"{ACCOUNT}/prices", json=unknown, headers=reseller.headers()), 404,
                 "catalog.unknown_sku")
    assert_error(reseller.client.put(f"{ACCOUNT}/prices", json=backwards, headers=reseller.headers()), 422,
                 "resellers.invalid_prices")
    assert reseller.get(ACCOUNT) == before

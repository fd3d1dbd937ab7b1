"""The reseller's pages: a reseller signed in is sent to its own account and statement (another's is 404), staff
see every reseller; the statement downloads as CSV."""

from tests.api.resellers.conftest import ACCOUNT, place

from flexhub.testing.api_client import Api, assert_error


def _sign_in(api: Api, role: str) -> None:
    answer = api.client.post("/login", data={"api_key": api.tenant.tokens[role]}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_a_reseller_sees_its_own_account_and_statement(reseller: Api) -> None:
    place(reseller, "R-1", quantity=2)
    _sign_in(reseller, "partner")

    sent = reseller.client.get("/resellers", follow_redirects=False)
    shown = reseller.client.get("/resellers/reseller-1").text
    csv = reseller.client.get("/resellers/reseller-1/statement.csv")

    assert sent.status_code == 303 and sent.headers["location"] == "/resellers/reseller-1"
    assert 'data-figure="closing">163.00' in shown and 'data-kind="dropship_fee"' in shown
    assert csv.status_code == 200 and "R-1" in csv.content.decode("utf-8-sig")
    assert_error(reseller.client.get("/resellers/reseller-2"), 404, "resellers.unknown_reseller")


def test_staff_see_every_reseller(reseller: Api) -> None:
    _sign_in(reseller, "viewer")

    listed = reseller.client.get("/resellers").text

    assert 'data-reseller="reseller-1"' in listed and 'data-reseller="reseller-2"' in listed
    assert reseller.get(ACCOUNT, role="viewer")["balance"] == 0

"""Users over HTTP: admins create them, nobody else; the dashboard signs them in; no password ever comes back."""

import pytest
from sqlalchemy import func, select, update

from flexhub.identity.model import User
from flexhub.identity.sign_in_limits import MAX_FAILURES as MAX_FAILURES_PER_CLIENT
from flexhub.kernel import clock
from flexhub.testing.api_client import Api, assert_error
from flexhub.testing.builders import PASSWORD, order_body
from flexhub.testing.snapshots import snapshot

USERS = "/api/v1/users"
BODY = {"login": "li.na@brand.example", "password": PASSWORD, "role": "operator", "display_name": "Li Na"}


def users(api: Api) -> int:
    with api.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(User)).scalar_one()


def test_an_admin_creates_a_user_and_the_answer_holds_no_password(api: Api) -> None:
    created = api.post(USERS, BODY)

    assert {k: created[k] for k in ("login", "display_name", "role", "partner")} == {
        "login": "li.na@brand.example", "display_name": "Li Na", "role": "operator", "partner": None}
    assert "password" not in created and "password_hash" not in created and PASSWORD not in str(created)


@pytest.mark.parametrize("role", ["operator", "viewer", "partner"])
def test_only_an_admin_creates_users(api: Api, role: str) -> None:
    before = snapshot(api.hub)

    response = api.client.post(USERS, json=BODY, headers=api.headers(role))

    assert_error(response, 403, "auth.forbidden")
    assert snapshot(api.hub) == before and users(api) == 0


@pytest.mark.parametrize(("body", "status", "code"), [
    ({**BODY, "password": "short"}, 422, "identity.weak_password"),
    ({**BODY, "role": "root"}, 422, "request.invalid"),
    ({**BODY, "role": "partner"}, 422, "identity.invalid_role"),
    ({**BODY, "extra": 1}, 422, "request.invalid"),
])
def test_a_bad_user_is_refused_with_its_code_and_the_password_is_not_echoed(api: Api, body: dict, status: int,
                                                                             code: str) -> None:
    before = snapshot(api.hub)

    response = api.client.post(USERS, json=body, headers=api.headers())

    assert_error(response, status, code)
    assert body["password"] not in response.text
    assert snapshot(api.hub) == before and users(api) == 0


def test_a_taken_login_is_409(api: Api) -> None:
    api.post(USERS, BODY)
    before = snapshot(api.hub)

    assert_error(api.client.post(USERS, json={**BODY, "login": "LI.NA@brand.example"}, headers=api.headers()),
                 409, "identity.user_exists")
    assert snapshot(api.hub) == before and users(api) == 1


def sign_in(api: Api, **form: str):  # type: ignore[no-untyped-def]
    return api.client.post("/login", data={"next": "/orders", **form}, follow_redirects=False)


def test_the_dashboard_signs_a_user_in_and_out(api: Api) -> None:
    api.post(USERS, {**BODY, "role": "viewer"})

    answer = sign_in(api, login="li.na@brand.example", password=PASSWORD)

    assert answer.status_code == 303 and answer.headers["location"] == "/orders"
    page = api.client.get("/orders")
    assert page.status_code == 200 and '<span class="who">viewer</span>' in page.text
    api.client.post("/logout", follow_redirects=False)
    assert api.client.get("/orders", follow_redirects=False).status_code == 303


def test_the_dashboard_answers_a_wrong_password_and_an_unknown_user_alike(api: Api) -> None:
    api.post(USERS, BODY)

    wrong = sign_in(api, login="li.na@brand.example", password="not the password")
    unknown = sign_in(api, login="nobody@brand.example", password="not the password")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.text.replace("li.na@brand.example", "X") == unknown.text.replace("nobody@brand.example", "X")
    assert "not the password" not in wrong.text
    assert api.client.get("/orders", follow_redirects=False).status_code == 303


def test_the_key_field_still_signs_in_with_a_key(api: Api) -> None:
    answer = sign_in(api, api_key=api.tenant.tokens["operator"])

    assert answer.status_code == 303
    assert '<span class="who">operator</span>' in api.client.get("/orders").text


def test_a_viewer_user_is_refused_what_its_role_may_not_do(api: Api) -> None:
    api.post(USERS, {**BODY, "role": "viewer"})
    sign_in(api, login="li.na@brand.example", password=PASSWORD)
    before = snapshot(api.hub)

    answer = api.client.post("/transfers", data={"from_location": "A", "to_location": "B", "sku": "X",
                                                 "quantity": "1"}, follow_redirects=False)

    assert_error(answer, 403, "auth.forbidden")
    assert snapshot(api.hub) == before


def test_a_disabled_user_is_signed_out_at_the_next_page(api: Api) -> None:
    api.post(USERS, BODY)
    sign_in(api, login="li.na@brand.example", password=PASSWORD)
    assert api.client.get("/orders").status_code == 200
    with api.hub.uow() as uow:
        uow.connection.execute(update(User).values(disabled_at=clock.now()))
        uow.commit()

    answer = api.client.get("/orders", follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_partner_user_sees_only_its_partners_orders(api: Api) -> None:
    api.stock_shop(stock=5)
    api.post("/api/v1/channels", {"code": "resale", "platform": "generic", "partner": "reseller-1"})
    api.post(USERS, {**BODY, "role": "partner", "partner": "reseller-1"})
    mine = api.post("/api/v1/orders", order_body("P-1", channel="resale"), role="partner")
    theirs = api.post("/api/v1/orders", order_body("B-1"))
    sign_in(api, login="li.na@brand.example", password=PASSWORD)

    listed = api.client.get("/orders").text

    assert "P-1" in listed and "B-1" not in listed
    assert api.client.get(f"/orders/{mine['id']}").status_code == 200
    assert_error(api.client.get(f"/orders/{theirs['id']}"), 404, "ordering.unknown_order")


def test_one_client_failing_many_logins_is_held_back_with_429(api: Api) -> None:
    api.post(USERS, BODY)
    for n in range(MAX_FAILURES_PER_CLIENT):
        assert sign_in(api, login=f"guess-{n}@brand.example", password="not the password").status_code == 401

    held = sign_in(api, login="li.na@brand.example", password=PASSWORD)

    assert held.status_code == 429 and "Too many failed sign-ins" in held.text
    assert api.client.get("/orders", follow_redirects=False).status_code == 303
    assert sign_in(api, api_key=api.tenant.tokens["viewer"]).status_code == 303  # a key is not guessed

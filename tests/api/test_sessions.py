"""Dashboard sessions kept on the server: the cookie holds a random id and nothing else; signing out, an admin's
revoking, a password change and the idle and absolute limits each end a session, so a copy of its cookie signs
nobody in and changes nothing."""

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from flexhub.identity.model import DashboardSession, User
from flexhub.testing.api_client import Api, api_over, assert_error
from flexhub.testing.builders import PASSWORD, create_user, order_body
from flexhub.testing.clocks import MovableClock, movable_clock
from flexhub.testing.snapshots import audit, snapshot
from flexhub.web.cookies import SESSION

LOGIN = "li.na@brand.example"
NEW_PASSWORD = "a much longer passphrase"


@pytest.fixture
def clock() -> Iterator[MovableClock]:
    with movable_clock() as moving:
        yield moving


def browser(api: Api) -> TestClient:
    """Another browser on the same hub, with a cookie jar of its own."""
    return TestClient(api.client.app, follow_redirects=False)


def sign_in(client: TestClient, login: str = LOGIN, password: str = PASSWORD) -> str:
    answer = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client.cookies[SESSION]


def signed_in(client: TestClient) -> bool:
    answer = client.get("/orders", follow_redirects=False)
    assert answer.status_code in (200, 303), answer.text
    return answer.status_code == 200


def with_cookie(api: Api, token: str) -> TestClient:
    copied = browser(api)
    copied.cookies.set(SESSION, token)
    return copied


def session_rows(api: Api) -> list[tuple]:
    with api.hub.uow(write=False) as uow:
        return [tuple(row) for row in uow.connection.execute(
            select(DashboardSession.id, DashboardSession.last_seen_at, DashboardSession.revoked_at)
            .order_by(DashboardSession.id))]


def user_id(api: Api, login: str = LOGIN) -> str:
    with api.hub.uow(write=False) as uow:
        return str(uow.connection.execute(select(User.id).where(User.login == login)).scalar_one())


def test_the_cookie_holds_a_random_id_whose_hash_alone_is_kept(api: Api) -> None:
    create_user(api.hub, api.tenant.admin, role="operator")

    answer = api.client.post("/login", data={"login": LOGIN, "password": PASSWORD}, follow_redirects=False)

    cookie = answer.headers["set-cookie"]
    token = api.client.cookies[SESSION]
    assert len(token) >= 43 and user_id(api) not in token and LOGIN not in token
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    with api.hub.uow(write=False) as uow:
        [row] = uow.connection.execute(select(DashboardSession)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in str(tuple(row))
    assert (str(row.user_id), row.tenant_id, row.api_key_id, row.revoked_at) == (
        user_id(api), api.tenant.admin.tenant_id, None, None)


def test_a_key_is_never_in_the_cookie(api: Api) -> None:
    key = api.tenant.tokens["operator"]

    api.client.post("/login", data={"api_key": key}, follow_redirects=False)

    token = api.client.cookies[SESSION]
    assert key not in token and key.split("_", 2)[2] not in token  # the secret may itself hold "_"
    assert '<span class="who">operator</span>' in api.client.get("/orders").text


@pytest.mark.parametrize("how", ["user", "key"])
def test_a_copied_cookie_signs_nobody_in_after_sign_out_and_changes_nothing(api: Api, how: str) -> None:
    api.stock_shop(stock=5)
    order = api.post("/api/v1/orders", order_body("W-1"))
    create_user(api.hub, api.tenant.admin, role="operator")
    if how == "user":
        token = sign_in(api.client)
    else:
        api.client.post("/login", data={"api_key": api.tenant.tokens["operator"]}, follow_redirects=False)
        token = api.client.cookies[SESSION]
    copied = with_cookie(api, token)
    assert signed_in(copied)  # the copy works while the session lives

    signed_out = api.client.post("/logout", follow_redirects=False)

    assert signed_out.status_code == 303 and f"{SESSION}=; Max-Age=0" in signed_out.headers["set-cookie"]
    before, sessions_before = snapshot(api.hub), session_rows(api)
    assert not signed_in(copied)
    cancel = with_cookie(api, token).post(f"/orders/{order['id']}/cancel", follow_redirects=False)
    assert cancel.status_code == 303 and cancel.headers["location"].startswith("/login")
    assert snapshot(api.hub) == before and session_rows(api) == sessions_before
    assert api.get(f"/api/v1/orders/{order['id']}")["status"] != "cancelled"


def test_signing_out_is_audited_for_a_user(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    sign_in(api.client)

    api.client.post("/logout", follow_redirects=False)

    assert [e.entity_id for e in audit(api.hub) if e.action == "user.sign_out"] == [user_id(api)]


def test_signing_in_again_ends_the_session_the_browser_held(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    first = sign_in(api.client)

    second = sign_in(api.client)

    assert first != second and signed_in(api.client)
    assert not signed_in(with_cookie(api, first))


def test_a_session_lapses_when_idle_and_at_its_absolute_end(database_url: str, clock: MovableClock) -> None:
    with api_over(database_url, session_idle_s=600, session_absolute_s=3600) as api:
        create_user(api.hub, api.tenant.admin)
        busy, idle = browser(api), browser(api)
        sign_in(busy)
        sign_in(idle)

        for _ in range(11):  # busy: a page every 5 minutes, for 55 minutes
            clock.advance(minutes=5)
            assert signed_in(busy)
        assert not signed_in(idle)  # nothing for over 10 minutes

        clock.advance(minutes=5)  # 60 minutes after signing in, however busy
        assert not signed_in(busy)


def test_an_idle_session_is_still_live_just_before_its_limit(database_url: str, clock: MovableClock) -> None:
    with api_over(database_url, session_idle_s=600, session_absolute_s=3600) as api:
        create_user(api.hub, api.tenant.admin)
        sign_in(api.client)

        clock.advance(minutes=9, seconds=59)
        assert signed_in(api.client)
        clock.advance(minutes=9, seconds=59)  # the page before counted as seen
        assert signed_in(api.client)
        clock.advance(minutes=10, seconds=1)
        assert not signed_in(api.client)


def test_an_admin_revokes_every_session_of_a_user(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    laptop, phone = browser(api), browser(api)
    sign_in(laptop)
    sign_in(phone)
    other = create_user(api.hub, api.tenant.admin, login="other@brand.example")
    elsewhere = browser(api)
    sign_in(elsewhere, login=other["login"])

    answer = api.client.delete(f"/api/v1/users/{user_id(api)}/sessions", headers=api.headers())

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"user_id": user_id(api), "login": LOGIN, "revoked": 2}
    assert not signed_in(laptop) and not signed_in(phone) and signed_in(elsewhere)
    [entry] = [e for e in audit(api.hub) if e.action == "user.sessions_revoke"]
    assert (entry.entity_id, entry.detail, entry.actor) == (user_id(api), {"revoked": 2},
                                                            api.tenant.actor_name("admin"))
    sign_in(laptop)  # signing in again works
    assert signed_in(laptop)


@pytest.mark.parametrize("role", ["operator", "viewer", "partner"])
def test_only_an_admin_revokes_sessions(api: Api, role: str) -> None:
    create_user(api.hub, api.tenant.admin)
    sign_in(api.client)
    before, sessions_before = snapshot(api.hub), session_rows(api)

    answer = api.client.delete(f"/api/v1/users/{user_id(api)}/sessions", headers=api.headers(role))

    assert_error(answer, 403, "auth.forbidden")
    assert snapshot(api.hub) == before and session_rows(api) == sessions_before and signed_in(api.client)


def test_another_tenants_admin_cannot_revoke_a_users_sessions(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    sign_in(api.client)
    other = api.add_tenant("other")
    before, sessions_before = snapshot(api.hub), session_rows(api)

    answer = api.client.delete(f"/api/v1/users/{user_id(api)}/sessions", headers=other.headers())

    assert_error(answer, 404, "identity.unknown_user")
    assert snapshot(api.hub) == before and session_rows(api) == sessions_before and signed_in(api.client)


def test_a_password_change_signs_the_other_browsers_out_and_keeps_this_one(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    here, there = browser(api), browser(api)
    sign_in(here)
    sign_in(there)

    changed = here.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 303 and changed.headers["location"] == "/account?changed=1"
    assert signed_in(here) and not signed_in(there)
    assert 'data-changed="1"' in here.get(changed.headers["location"]).text
    assert browser(api).post("/login", data={"login": LOGIN, "password": PASSWORD}).status_code == 401
    assert sign_in(browser(api), password=NEW_PASSWORD)
    [entry] = [e for e in audit(api.hub) if e.action == "user.password_change"]
    assert entry.detail == {"sessions_revoked": 1} and NEW_PASSWORD not in str(entry.detail)


@pytest.mark.parametrize(("form", "code"), [
    ({"current_password": "not the password", "new_password": NEW_PASSWORD}, "identity.wrong_password"),
    ({"current_password": PASSWORD, "new_password": "short"}, "identity.weak_password"),
])
def test_a_refused_password_change_changes_nothing(api: Api, form: dict, code: str) -> None:
    create_user(api.hub, api.tenant.admin)
    here, there = browser(api), browser(api)
    sign_in(here)
    sign_in(there)
    with api.hub.uow(write=False) as uow:
        hash_before = uow.connection.execute(select(User.password_hash)).scalar_one()
    sessions_before = session_rows(api)

    answer = here.post("/account/password", data=form)

    assert answer.status_code == 422 and 'role="alert"' in answer.text
    with api.hub.uow(write=False) as uow:
        user = uow.connection.execute(select(User.password_hash, User.failed_sign_ins)).one()
    assert user.password_hash == hash_before and session_rows(api) == sessions_before
    assert user.failed_sign_ins == (1 if code == "identity.wrong_password" else 0)  # a wrong one counts
    assert signed_in(here) and signed_in(there)
    assert "user.password_change" not in [e.action for e in audit(api.hub)]


def test_a_key_session_has_no_password_to_change(api: Api) -> None:
    api.client.post("/login", data={"api_key": api.tenant.tokens["operator"]}, follow_redirects=False)
    before = snapshot(api.hub)

    page = api.client.get("/account")
    posted = api.client.post("/account/password", data={"current_password": "x", "new_password": NEW_PASSWORD})

    assert page.status_code == 200 and 'data-form="password"' in page.text and "current_password" not in page.text
    assert posted.status_code == 422 and snapshot(api.hub) == before


def test_the_language_is_a_cookie_of_its_own_that_outlives_the_session(api: Api) -> None:
    create_user(api.hub, api.tenant.admin)
    sign_in(api.client)

    switched = api.client.get("/lang/zh_Hans", params={"back": "/orders"}, follow_redirects=False)
    api.client.post("/logout", follow_redirects=False)

    assert "flexhub_locale=zh_Hans" in switched.headers["set-cookie"]
    assert "HttpOnly" in switched.headers["set-cookie"]
    assert "用户名或邮箱" in api.client.get("/login").text


@pytest.mark.parametrize(("settings", "base_url", "secure"), [
    ({"session_cookie_secure": True}, "http://testserver", True),
    ({}, "https://testserver", True),
    ({}, "http://testserver", False),
])
def test_the_cookie_is_secure_over_tls_or_when_the_settings_say(database_url: str, settings: dict, base_url: str,
                                                                 secure: bool) -> None:
    with api_over(database_url, **settings) as api:
        create_user(api.hub, api.tenant.admin)
        client = TestClient(api.client.app, base_url=base_url)

        answer = client.post("/login", data={"login": LOGIN, "password": PASSWORD}, follow_redirects=False)

        assert ("; Secure" in answer.headers["set-cookie"]) is secure

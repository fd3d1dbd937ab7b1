"""Users: created with a role and an Argon2id hash (an old scrypt one replaced at sign-in),
signed in by login and password, locked after repeated failures."""

import pytest
from sqlalchemy import select, update

from flexhub.bootstrap import Hub
from flexhub.identity.commands import SignInUser
from flexhub.identity.errors import InvalidCredentials, InvalidRole, UnknownPartner, UserExists, WeakPassword
from flexhub.identity.model import User
from flexhub.identity.signin import LOCKED_FOR, MAX_FAILURES
from flexhub.kernel import clock as kernel_clock
from flexhub.kernel.errors import ValidationFailed
from flexhub.testing.builders import PASSWORD, create_partner, create_tenant, create_user, scrypt_hash
from flexhub.testing.clocks import MovableClock
from flexhub.testing.snapshots import audit

LOGIN = "li.na@brand.example"


def user_row(hub: Hub, login: str = LOGIN):  # type: ignore[no-untyped-def]
    with hub.uow(write=False) as uow:
        return uow.connection.execute(select(User).where(User.login == login)).one()


def sign_in(hub: Hub, password: str = PASSWORD, login: str = LOGIN):  # type: ignore[no-untyped-def]
    return hub.handle(SignInUser(login=login, password=password))


def test_a_user_is_kept_with_its_role_and_a_salted_hash_and_audited(hub: Hub) -> None:
    admin = create_tenant(hub)
    created = create_user(hub, admin, login="  Li.Na@Brand.Example ", role="viewer", display_name="Li Na")

    row = user_row(hub)
    assert (created["login"], row.role, row.display_name, row.tenant_id) == (LOGIN, "viewer", "Li Na", admin.tenant_id)
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    assert (row.failed_sign_ins, row.locked_until, row.disabled_at, row.last_sign_in_at) == (0, None, None, None)
    [entry] = [e for e in audit(hub) if e.action == "user.create"]
    assert entry.entity_id == str(row.id) and entry.detail == {"login": LOGIN, "role": "viewer", "partner": None}
    assert PASSWORD not in str(entry.detail)


def test_a_partner_user_acts_for_its_partner(hub: Hub) -> None:
    admin = create_tenant(hub)
    partner = create_partner(hub, admin, "reseller-sg")
    create_user(hub, admin, login="sg-shop", role="partner", partner="reseller-sg")

    actor = sign_in(hub, login="sg-shop")["actor"]

    assert (actor.role, actor.partner_id, actor.tenant_id) == ("partner", partner.partner_id, admin.tenant_id)
    assert actor.name == "user:sg-shop"


@pytest.mark.parametrize(("fields", "error"), [
    ({"password": "short"}, WeakPassword),
    ({"role": "owner"}, InvalidRole),
    ({"role": "partner"}, InvalidRole),
    ({"role": "viewer", "partner": "reseller-1"}, InvalidRole),
    ({"role": "partner", "partner": "nobody"}, UnknownPartner),
    ({"login": "two words"}, ValidationFailed),
    ({"login": "   "}, ValidationFailed),
])
def test_a_bad_user_is_refused_and_nothing_is_written(hub: Hub, fields: dict, error: type) -> None:
    admin = create_tenant(hub)
    create_partner(hub, admin, "reseller-1")
    before = len(audit(hub))

    with pytest.raises(error):
        create_user(hub, admin, **fields)

    with hub.uow(write=False) as uow:
        assert uow.connection.execute(select(User.id)).all() == []
    assert len(audit(hub)) == before


def test_a_login_is_taken_once_across_tenants_and_case(hub: Hub) -> None:
    create_user(hub, create_tenant(hub, code="acme"))
    other = create_tenant(hub, code="other")
    before = len(audit(hub))

    with pytest.raises(UserExists):
        create_user(hub, other, login=LOGIN.upper())

    assert len(audit(hub)) == before
    assert user_row(hub).tenant_id != other.tenant_id


def test_signing_in_gives_the_users_actor_and_notes_when(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_user(hub, admin, role="operator")

    signed_in = sign_in(hub, login="LI.NA@brand.example")

    assert signed_in["actor"].role == "operator" and signed_in["actor"].tenant_id == admin.tenant_id
    row = user_row(hub)
    assert signed_in["user_id"] == row.id and row.last_sign_in_at is not None
    assert "user.sign_in" in [e.action for e in audit(hub)]


def test_an_unknown_login_and_a_wrong_password_get_the_same_answer(hub: Hub) -> None:
    create_user(hub, create_tenant(hub))

    with pytest.raises(InvalidCredentials) as wrong:
        sign_in(hub, password="not the password")
    with pytest.raises(InvalidCredentials) as unknown:
        sign_in(hub, login="nobody@brand.example")

    assert (wrong.value.code, wrong.value.message) == (unknown.value.code, unknown.value.message)
    assert wrong.value.code == "auth.invalid_credentials" and wrong.value.status == 401
    assert user_row(hub).failed_sign_ins == 1


def test_repeated_failures_lock_the_account_until_the_lock_ends(hub: Hub, clock: MovableClock) -> None:
    create_user(hub, create_tenant(hub))
    for _ in range(MAX_FAILURES):
        with pytest.raises(InvalidCredentials):
            sign_in(hub, password="guess guess guess")
    row = user_row(hub)
    assert kernel_clock.as_utc(row.locked_until) == clock.now() + LOCKED_FOR
    assert "user.lock" in [e.action for e in audit(hub)]

    clock.advance(minutes=LOCKED_FOR.total_seconds() / 60 - 1)
    with pytest.raises(InvalidCredentials):
        sign_in(hub)  # even the right password, while locked
    assert user_row(hub).last_sign_in_at is None

    clock.advance(minutes=2)
    assert sign_in(hub)["actor"].name == f"user:{LOGIN}"
    row = user_row(hub)
    assert (row.failed_sign_ins, row.locked_until) == (0, None)


def test_a_disabled_user_cannot_sign_in(hub: Hub) -> None:
    create_user(hub, create_tenant(hub))
    with hub.uow() as uow:
        uow.connection.execute(update(User).values(disabled_at=kernel_clock.now()))
        uow.commit()

    with pytest.raises(InvalidCredentials):
        sign_in(hub)
    assert user_row(hub).last_sign_in_at is None


def test_an_old_scrypt_hash_signs_in_and_is_replaced_by_argon2id(hub: Hub) -> None:
    admin = create_tenant(hub)
    create_user(hub, admin, login=LOGIN, role="viewer")
    with hub.uow() as uow:
        uow.connection.execute(update(User).values(password_hash=scrypt_hash(PASSWORD)))
        uow.commit()
    with pytest.raises(InvalidCredentials):
        sign_in(hub, password=PASSWORD + "!")
    assert user_row(hub).password_hash.startswith("scrypt$")  # a wrong password changes nothing

    sign_in(hub)

    rehashed = user_row(hub).password_hash
    assert rehashed.startswith("$argon2id$")
    sign_in(hub)
    assert user_row(hub).password_hash == rehashed  # an up-to-date hash is kept as it is

"""`flexhub users create`: the password from stdin or a hidden prompt, never from argv; audited; errors by code.
`flexhub users sign-out`: every dashboard session of a user revoked."""

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.cli.tenants import admin_actor
from flexhub.identity.commands import SignInUser
from flexhub.identity.model import User
from flexhub.testing.builders import PASSWORD, create_tenant, create_user
from flexhub.testing.hubs import running_hub
from flexhub.testing.snapshots import audit


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    with running_hub(database_url, combine=False) as hub:
        create_tenant(hub, code="acme")
        yield hub


def users_create(*arguments: str, stdin: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["users", "create", "--tenant", "acme", *arguments], input=stdin)


def test_a_user_is_created_with_the_password_from_stdin_and_can_sign_in(cli) -> None:  # type: ignore[no-untyped-def]
    result = users_create("--login", "ops@brand.example", "--role", "operator", "--password-stdin",
                          stdin=PASSWORD + "\n")

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert cli.handle(SignInUser(login="ops@brand.example", password=PASSWORD))["actor"].role == "operator"
    [entry] = [e for e in audit(cli) if e.action == "user.create"]
    assert entry.actor == "cli" and PASSWORD not in str(entry.detail)


def test_the_prompt_asks_twice_and_hides_the_password(cli) -> None:  # type: ignore[no-untyped-def]
    result = users_create("--login", "viewer@brand.example", "--role", "viewer",
                          stdin=f"{PASSWORD}\n{PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and "Repeat for confirmation" in result.output


@pytest.mark.parametrize(("arguments", "code"), [
    (["--login", "x@brand.example", "--role", "viewer"], "identity.weak_password"),
    (["--login", "x@brand.example", "--role", "boss"], "identity.invalid_role"),
    (["--login", "x@brand.example", "--role", "viewer", "--tenant", "nobody"], "identity.unknown_tenant"),
])
def test_a_refused_user_exits_1_with_the_code_and_writes_nothing(cli, arguments: list[str],  # type: ignore[no-untyped-def]
                                                                 code: str) -> None:
    before = len(audit(cli))
    password = "short" if code == "identity.weak_password" else PASSWORD

    result = users_create(*arguments, "--password-stdin", stdin=password + "\n")

    assert result.exit_code == 1 and code in result.output
    with cli.uow(write=False) as uow:
        assert uow.connection.execute(select(User.id)).all() == []
    assert len(audit(cli)) == before


def test_sign_out_revokes_every_session_of_the_user_and_only_theirs(cli) -> None:  # type: ignore[no-untyped-def]
    admin = admin_actor(cli.uow, "acme")
    user = create_user(cli, admin, login="ops@brand.example")
    other = create_user(cli, admin, login="other@brand.example")
    mine = [cli.sessions.start(tenant_id=admin.tenant_id, user_id=user["id"]) for _ in range(2)]
    theirs = cli.sessions.start(tenant_id=admin.tenant_id, user_id=other["id"])

    result = CliRunner().invoke(app, ["users", "sign-out", "--tenant", "acme", "--login", "OPS@brand.example"])

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "2"
    assert [cli.sessions.signed_in(token) for token in mine] == [None, None]
    assert cli.sessions.signed_in(theirs) is not None
    [entry] = [e for e in audit(cli) if e.action == "user.sessions_revoke"]
    assert (entry.actor, entry.entity_id, entry.detail) == ("cli", str(user["id"]), {"revoked": 2})


def test_sign_out_of_an_unknown_login_exits_1_with_its_code(cli) -> None:  # type: ignore[no-untyped-def]
    before = len(audit(cli))

    result = CliRunner().invoke(app, ["users", "sign-out", "--tenant", "acme", "--login", "nobody@brand.example"])

    assert result.exit_code == 1 and "identity.unknown_user" in result.output
    assert len(audit(cli)) == before


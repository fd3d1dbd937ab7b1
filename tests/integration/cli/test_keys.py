"""`flexhub keys create`: a tenant comes into being only when asked for by name (--new-tenant); a typo in --tenant
is refused and creates nothing."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.db.engine import build_engine
from flexhub.identity.model import ApiKey, Tenant


def counts(url: str) -> tuple[int, int]:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return (connection.execute(select(func.count()).select_from(Tenant)).scalar_one(),
                    connection.execute(select(func.count()).select_from(ApiKey)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    return database_url


def test_a_new_tenant_is_made_only_when_asked_for_and_a_typo_is_refused(cli: str) -> None:
    made = CliRunner().invoke(app, ["keys", "create", "--role", "admin", "--tenant", "acme", "--new-tenant"])
    assert made.exit_code == 0, made.output
    assert made.output.strip().splitlines()[-1].startswith("fhk_")
    again = CliRunner().invoke(app, ["keys", "create", "--role", "viewer", "--tenant", "acme"])
    assert again.exit_code == 0, again.output
    before = counts(cli)

    typo = CliRunner().invoke(app, ["keys", "create", "--role", "admin", "--tenant", "acmee"])
    twice = CliRunner().invoke(app, ["keys", "create", "--role", "admin", "--tenant", "acme", "--new-tenant"])

    assert typo.exit_code == 2 and "unknown tenant acmee" in typo.output
    assert twice.exit_code == 2 and "exists already" in twice.output
    assert counts(cli) == before == (1, 2)

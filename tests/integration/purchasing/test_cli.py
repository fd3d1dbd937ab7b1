"""`flexhub purchasing orders` and `suggest` on SQLite and PostgreSQL: drafts from the suggestions, listed back;
an unknown tenant or state is refused and writes nothing."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.testing.api_client import Api
from flexhub.testing.purchasing import purchasing_rows, set_terms
from flexhub.testing.snapshots import snapshot


@pytest.fixture
def cli(selling: Api, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    set_terms(selling, "mill-1", "TEE-RED-M", lead_time_days=10, pack=6, unit_cost=2100)
    return selling


def purchasing(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["purchasing", *arguments, "--tenant", "acme"])


def test_suggest_drafts_orders_and_orders_lists_them(cli: Api) -> None:
    drafted = purchasing("suggest", "--send", "--json")

    assert drafted.exit_code == 0, drafted.output
    (order,) = json.loads(drafted.stdout)["orders"]
    assert (order["supplier"], order["state"], order["location"]) == ("mill-1", "sent", "WH-CENTRAL")
    assert order["lines"][0]["quantity"] % 6 == 0
    listed = purchasing("orders", "--state", "sent", "--json")
    assert [o["id"] for o in json.loads(listed.stdout)["orders"]] == [order["id"]]
    table = purchasing("orders")
    assert table.exit_code == 0 and "mill-1" in table.output and "CNY" in table.output
    again = purchasing("suggest")  # on order now: nothing more to buy
    assert again.exit_code == 0 and "none" in again.output


def test_an_unknown_tenant_or_state_is_refused_and_nothing_is_written(cli: Api) -> None:
    before = (snapshot(cli.hub), purchasing_rows(cli.hub))

    no_tenant = CliRunner().invoke(app, ["purchasing", "suggest", "--tenant", "nobody"])
    no_state = purchasing("orders", "--state", "shipped")

    assert no_tenant.exit_code == 2 and "no tenant nobody" in no_tenant.output
    assert no_state.exit_code == 2 and "unknown state shipped" in no_state.output
    assert (snapshot(cli.hub), purchasing_rows(cli.hub)) == before

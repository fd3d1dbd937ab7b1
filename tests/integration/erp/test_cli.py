"""`flexhub erp sync CODE` and `flexhub erp status CODE` on SQLite and PostgreSQL, against the sandbox Odoo served on
loopback (allowed by the admin): the orders waiting go out once each with a progress bar, a second sync sends
nothing again; an unknown connection is refused with its code and writes nothing."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.cli.main import app
from flexhub.sandbox.erp.app import create_app
from flexhub.sandbox.erp.odoo import OdooSandbox
from flexhub.sandbox.server import served
from flexhub.testing.api_client import Api, api_over
from flexhub.testing.builders import line, order_body
from flexhub.testing.erp import erp_rows, odoo_body
from flexhub.testing.snapshots import snapshot


@pytest.fixture
def odoo() -> Iterator[tuple[OdooSandbox, str]]:
    sandbox = OdooSandbox()
    sandbox.add("product.product", {"name": "Tee, red, M", "default_code": "TEE-RED-M", "standard_price": 25.0})
    with served(create_app({"odoo": sandbox.handle})) as url:
        yield sandbox, f"{url}/odoo"


@pytest.fixture
def cli(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        odoo: tuple[OdooSandbox, str]) -> Iterator[Api]:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    with api_over(database_url) as api:
        api.stock_shop(stock=10)
        api.hub.relay.run_once()  # the shop's opening stock, published before any ERP is connected
        api.post("/api/v1/erp/connections", odoo_body(url=odoo[1], allow_private=True))
        yield api


def erp(*arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["erp", *arguments, "--tenant", "acme"])


def test_sync_sends_each_waiting_order_once_and_status_shows_it(cli: Api, odoo: tuple[OdooSandbox, str]) -> None:
    for number in ("A-1", "A-2"):
        cli.post("/api/v1/orders", order_body(external_id=number, lines=[line(quantity=2)]))
    cli.hub.relay.run_once()

    synced = erp("sync", "odoo")
    again = erp("sync", "odoo", "--json")

    assert synced.exit_code == 0, synced.output
    assert "documents" in synced.output and "2/2" in synced.output  # the bar's last state
    assert "2 sent, 0 failed" in synced.output
    assert json.loads(again.stdout)["sent"] == 0  # stdout alone: a log line may go to stderr beside it
    orders = odoo[0].records("sale.order")
    assert len(orders) == 2 and len({o["client_order_ref"] for o in orders}) == 2
    status = json.loads(erp("status", "odoo", "--json").stdout)
    assert (status["backlog"], status["sent"], status["errors"]) == (0, 2, [])
    assert status["last_sync_at"] is not None


def test_an_unknown_connection_is_refused_with_its_code_and_nothing_is_written(cli: Api) -> None:
    before = (snapshot(cli.hub), erp_rows(cli.hub))

    refused = erp("sync", "nowhere")

    assert refused.exit_code == 1
    assert "erp.unknown_connection" in refused.output
    assert (snapshot(cli.hub), erp_rows(cli.hub)) == before

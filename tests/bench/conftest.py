"""Bench tests run the real commands, small, on SQLite and on PostgreSQL when a server is there."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from flexhub.bench.scratch import scratch_name
from flexhub.cli.main import app
from flexhub.db.engine import build_engine

REQUIRED = ("scenario", "mode", "database", "orders_attempted", "orders_accepted", "oversold", "orders_per_s",
            "p50_ms", "p99_ms")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the user's data would be: the bench must work beside it, never in it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'users-data.db'}"
    return request.getfixturevalue("postgres_server")


@pytest.fixture
def bench() -> Callable[..., dict[str, Any]]:
    return run_bench


@pytest.fixture
def check_report() -> Callable[..., None]:
    return assert_order_report


@pytest.fixture
def check_floor() -> Callable[..., None]:
    return assert_floor


@pytest.fixture
def untouched() -> Callable[..., bool]:
    return left_untouched


def left_untouched(server_url: str, prefix: str = "flexhub_bench") -> bool:
    """SQLite: the user's file was never created. PostgreSQL: the scratch database is gone."""
    url = make_url(server_url)
    if url.get_backend_name() == "sqlite":
        return not Path(url.database).exists()
    engine = build_engine(server_url)
    try:
        with engine.connect() as connection:
            query = text("SELECT count(*) FROM pg_database WHERE datname = :name")
            found = connection.execute(query, {"name": scratch_name(prefix)}).scalar_one()
    finally:
        engine.dispose()
    return found == 0


def run_bench(*arguments: str) -> dict[str, Any]:
    """Run `flexhub bench ... --json` and return the one JSON object on stdout's last line."""
    result = CliRunner().invoke(app, ["bench", *arguments, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    assert isinstance(report, dict)
    return report


def assert_order_report(report: dict[str, Any], *, scenario: str, mode: str, database: str, attempted: int,
                        stock: int) -> None:
    assert set(REQUIRED) <= set(report)
    assert (report["scenario"], report["mode"], report["database"]) == (scenario, mode, database)
    assert report["orders_attempted"] == attempted
    assert report["errors"] == {}
    assert report["oversold"] == 0
    assert report["stock"] == stock
    assert report["orders_accepted"] == min(stock, attempted) == report["orders_reserved_in_database"]
    assert report["orders_accepted"] + report["orders_rejected"] == attempted
    for figure in ("orders_per_s", "p50_ms", "p99_ms"):
        assert isinstance(report[figure], int | float) and report[figure] > 0


def assert_floor(report: dict[str, Any], *, per: str, ceiling: str) -> None:
    """The floor (what an item costs the box with no flexhub code) is the bare app's server and client CPU a request
    and the database's per item; flexhub's own is the rest of the box's figure."""
    assert report["bare_cpu_ms_per_req"] > 0 and report["bare_client_cpu_ms_per_req"] > 0
    floor = (report["bare_cpu_ms_per_req"] + report["bare_client_cpu_ms_per_req"]
             + (report[f"database_cpu_ms_per_{per}"] or 0))
    assert report[f"floor_cpu_ms_per_{per}"] == pytest.approx(floor, abs=0.01)
    assert report[ceiling] == pytest.approx(report["machine"]["cpus"] * 1000 / floor, rel=0.01)
    assert report[f"flexhub_cpu_ms_per_{per}"] == pytest.approx(report[f"box_cpu_ms_per_{per}"] - floor, abs=0.01)

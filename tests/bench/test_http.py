"""`flexhub bench http`: `flexhub serve` and the bare app loaded by the same client (wrk when installed, else the
asyncio one); the stock audited after."""

import shutil

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from flexhub.bench.http import run as http_run
from flexhub.cli.main import app

CONTRACT = {"orders_per_s", "p50_ms", "p99_ms", "oversold", "bare_req_per_s", "ratio"}


def test_a_sale_over_http_sells_the_stock_once_and_refuses_the_rest(bench, check_floor, untouched,
                                                                    server_url: str) -> None:
    report = bench("http", "--orders", "50", "--connections", "4", "--workers", "1", "--stock", "30",
                   "--database-url", server_url)

    assert CONTRACT <= set(report)
    assert report["database"] == make_url(server_url).get_backend_name()
    assert report["client"] == ("wrk" if shutil.which("wrk") else "asyncio")
    assert report["answers"] == {"201": 30, "409": 20, "other": 0} and report["statuses"] == {"201": 30, "409": 20}
    assert (report["accepted"], report["reserved_units"], report["oversold"]) == (30, 30, 0)
    assert report["bare_req_per_s"] > 0 and 0 < report["p50_ms"] <= report["p99_ms"]
    assert abs(report["ratio"] - report["orders_per_s"] / report["bare_req_per_s"]) < 0.01
    assert len(report["loadavg"]) == 3 and report["machine"]["cpus"] >= 1
    assert report["cpu_ms_per_order"] > 0 and report["bare_cpu_ms_per_req"] > 0
    if report["database"] == "postgresql":  # its backends run on this machine: /proc shows what they spent
        assert report["database_cpu_ms_per_order"] > 0 and report["orders_per_commit"] > 0
    else:  # SQLite runs inside the server's processes, counted with them
        assert report["database_cpu_ms_per_order"] is None and report["orders_per_commit"] is None
    assert report["log_format"] == "json"
    assert report["client_cpu_ms_per_order"] > 0
    parts = report["cpu_ms_per_order"] + (report["database_cpu_ms_per_order"] or 0) + report["client_cpu_ms_per_order"]
    assert report["box_cpu_ms_per_order"] == pytest.approx(parts, abs=0.01)
    ceiling = report["machine"]["cpus"] * 1000 / report["box_cpu_ms_per_order"]
    assert report["box_ceiling_per_s"] == pytest.approx(ceiling, rel=0.01)
    check_floor(report, per="order", ceiling="floor_ceiling_per_s")
    assert untouched(server_url)


def test_more_stock_is_more_orders_accepted(bench, server_url: str) -> None:
    report = bench("http", "--orders", "20", "--connections", "2", "--database-url", server_url)

    assert report["statuses"] == {"201": 20} and report["stock"] == 20 and report["oversold"] == 0


def test_the_asyncio_client_counts_what_the_database_holds_and_more_orders_are_more_answers(bench, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'users-data.db'}"
    small = bench("http", "--orders", "20", "--connections", "3", "--stock", "10", "--client", "asyncio",
                  "--database-url", url)
    large = bench("http", "--orders", "40", "--connections", "3", "--stock", "20", "--client", "asyncio",
                  "--database-url", url)

    assert (small["client"], large["client"]) == ("asyncio", "asyncio")
    assert small["answers"] == {"201": 10, "409": 10, "other": 0}
    assert large["answers"] == {"201": 20, "409": 20, "other": 0}
    assert (small["reserved_units"], large["reserved_units"]) == (10, 20)
    assert (small["oversold"], large["oversold"]) == (0, 0)


def test_without_wrk_the_asyncio_client_stands_in_and_asking_for_wrk_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(http_run, "find_wrk", lambda: None)

    assert http_run.chosen_client("auto") == "asyncio"
    refused = CliRunner().invoke(app, ["bench", "http", "--client", "wrk", "--json"])
    assert refused.exit_code == 2 and "wrk is not installed" in refused.output
    with pytest.raises(ValueError, match="one of auto, wrk, asyncio"):
        http_run.chosen_client("curl")

"""`flexhub bench`: order intake under load, and pgbench for scale. `--json` prints one JSON object.

hot-sku and many-skus place orders through the service layer on a scratch database (the data
FLEXHUB_DATABASE_URL names is never touched); progress and status go to stderr, so stdout holds
the JSON alone.
"""

import enum
import json
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flexhub.bench.hot_sku import hot_sku as hot_sku_scenario
from flexhub.bench.many_skus import many_skus as many_skus_scenario
from flexhub.bench.pgbench import run_pgbench
from flexhub.bench.report import machine
from flexhub.bench.run import Options, Scenario, run_scenario
from flexhub.bench.scratch import backend_of
from flexhub.settings import Settings

app = typer.Typer(help="Benchmarks (JSON output with --json).", no_args_is_help=True)


class Mode(enum.StrEnum):
    per_order = "per-order"
    combined = "combined"


ORDERS = typer.Option(20_000, "--orders", min=1, help="orders to place")
CONCURRENCY = typer.Option(64, "--concurrency", min=1, help="threads placing orders at once")
MODE = typer.Option(Mode.combined, "--mode", help="one transaction per order, or the reservation combiner")
RATIO = typer.Option(0.9, "--stock-ratio", min=0.0, help="stock received, as a share of the units ordered")
URL = typer.Option(None, "--database-url", help="server or file to benchmark beside [default: FLEXHUB_DATABASE_URL]")
AS_JSON = typer.Option(False, "--json", help="print one JSON object on stdout")
PGBENCH = typer.Option(False, "--pgbench", help="also run pgbench on a hot row (PostgreSQL only)")
WAIT = typer.Option(None, "--max-wait-ms", help="combiner: how long a batch waits for more [default: settings]")
BATCH = typer.Option(None, "--max-batch", help="combiner: most orders per transaction [default: settings]")


@app.command("hot-sku")
def hot_sku(orders: int = ORDERS, concurrency: int = CONCURRENCY, mode: Mode = MODE, stock_ratio: float = RATIO,
            database_url: str | None = URL, as_json: bool = AS_JSON, pgbench: bool = PGBENCH,
            max_wait_ms: float | None = WAIT, max_batch: int | None = BATCH) -> None:
    """Every order buys one unit of one SKU: a live-stream flash sale on one stock row."""
    _bench(hot_sku_scenario(orders, stock_ratio), mode, concurrency, database_url, as_json, pgbench,
           max_wait_ms, max_batch)


@app.command("many-skus")
def many_skus(orders: int = ORDERS, concurrency: int = CONCURRENCY, mode: Mode = MODE,
              skus: int = typer.Option(1000, "--skus", min=1, help="SKUs the orders spread over"),
              stock_ratio: float = RATIO, database_url: str | None = URL, as_json: bool = AS_JSON,
              pgbench: bool = PGBENCH, max_wait_ms: float | None = WAIT, max_batch: int | None = BATCH) -> None:
    """Orders spread evenly over K SKUs, each stocked short of what its orders ask."""
    _bench(many_skus_scenario(orders, skus, stock_ratio), mode, concurrency, database_url, as_json, pgbench,
           max_wait_ms, max_batch)


@app.command("pgbench")
def pgbench(concurrency: int = CONCURRENCY, seconds: float = typer.Option(5.0, "--seconds", min=1.0),
            database_url: str | None = URL, as_json: bool = AS_JSON) -> None:
    """pgbench with one order per transaction on one hot row, then 100 orders per transaction."""
    url = database_url or Settings().database_url
    with _stderr().status("running pgbench"):
        figures = run_pgbench(url, concurrency=concurrency, seconds=seconds)
    _print({"scenario": "pgbench", "database": backend_of(url), **figures, "machine": machine()}, as_json)


def _bench(scenario: Scenario, mode: Mode, concurrency: int, database_url: str | None, as_json: bool,
           pgbench: bool, max_wait_ms: float | None, max_batch: int | None) -> None:
    url = database_url or Settings().database_url
    combiner = {"combiner_max_wait_ms": max_wait_ms, "combiner_max_batch": max_batch}
    options = Options(url, mode.value, concurrency, {k: v for k, v in combiner.items() if v is not None})
    console = _stderr()
    columns = (TextColumn(f"{scenario.name} {mode.value}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("orders", total=len(scenario.purchases))
        report = run_scenario(scenario, options, progress=lambda done: progress.update(task, completed=done),
                              status=_status(progress))
    if pgbench:
        with console.status("running pgbench"):
            report.update(run_pgbench(url, concurrency=concurrency))
    _print(report, as_json)


def _status(progress: Progress) -> Callable[[str], None]:
    return lambda message: progress.console.log(message)


def _stderr() -> Console:
    return Console(stderr=True)


def _print(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, default=str))
        return
    table = Table("figure", "value", title=f"flexhub bench {report['scenario']}")
    for key, value in report.items():
        table.add_row(key, json.dumps(value, default=str) if isinstance(value, dict) else str(value))
    Console().print(table)

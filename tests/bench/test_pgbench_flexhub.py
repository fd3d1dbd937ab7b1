"""pgbench replaying flexhub's own write of a batch (`bench hot-sku --pgbench`): the script is the writer's statements
as it sent them, each transaction's orders are new, and a statement the schema refuses fails the run."""

import subprocess
from dataclasses import replace

import pytest
from sqlalchemy import text

from flexhub.bench.pgbench_flexhub import options, record, replay, run_flexhub_pgbench
from flexhub.bench.pgbench_program import find_pgbench, pgbench_command, script_file
from flexhub.bench.scratch import scratch_database, scratch_name
from flexhub.db.engine import build_engine
from flexhub.ordering.writer import sql

pytestmark = pytest.mark.postgres


@pytest.fixture
def pgbench() -> str:
    program = find_pgbench()
    if program is None:
        pytest.skip("pgbench is not installed: run `make pgbench`")
    return program


def orders_in(url: str) -> int:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM orders")).scalar_one())
    finally:
        engine.dispose()


def test_the_replay_sends_the_writers_statements_and_writes_new_orders_each_time(
        postgres_server: str, pgbench: str) -> None:
    with scratch_database(postgres_server, name=scratch_name("flexhub_test_replay")) as url:
        recorded, prefix = record(url, 4)
        sent = [(s.statement, s.pipelined) for s in recorded.sent]
        assert sent == [(sql.READ, False), (sql.WRITE_ROWS, True), (sql.TAKE_AND_TELL, True), ("COMMIT", True)]
        replayed = replay(recorded, prefix)
        with script_file(replayed.script) as name:
            command, environment = pgbench_command(pgbench, url, name, 2, 1, options(replayed))
            finished = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)

        assert finished.returncode == 0, finished.stderr[-800:]
        assert "number of failed transactions: 0" in finished.stdout
        transactions = int(finished.stdout.split("number of transactions actually processed: ")[1].split()[0])
        assert transactions > 0
        assert orders_in(url) == 4 * (1 + transactions)  # the recorded batch, then four new orders a transaction


def test_a_statement_the_schema_refuses_fails_the_replay(postgres_server: str, pgbench: str) -> None:
    with scratch_database(postgres_server, name=scratch_name("flexhub_test_replay")) as url:
        recorded, prefix = record(url, 2)
        wrong = [replace(s, statement=s.statement.replace('"line_no"', '"line_number"'))
                 if s.statement == sql.WRITE_ROWS else s for s in recorded.sent]
        replayed = replay(replace(recorded, sent=wrong), prefix)
        with script_file(replayed.script) as name:
            command, environment = pgbench_command(pgbench, url, name, 1, 1, options(replayed))
            finished = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)

        assert finished.returncode != 0
        assert "line_number" in finished.stderr


def test_the_floor_reports_orders_a_second_and_the_databases_cpu_per_order(postgres_server: str,
                                                                           pgbench: str) -> None:
    figures = run_flexhub_pgbench(pgbench, postgres_server, batch=8, clients=2, seconds=2)

    assert figures["pgbench_flexhub_batch"] == 8
    assert figures["pgbench_flexhub_clients"] == 2
    assert figures["pgbench_flexhub_orders_per_s"] > 0
    assert figures["pgbench_flexhub_database_cpu_us_per_order"] > 0

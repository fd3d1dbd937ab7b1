"""`flexhub bench pgbench`: tps of one hot row on PostgreSQL, or null and a reason where it cannot run."""

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from flexhub.bench.pgbench import find_pgbench


def test_on_sqlite_pgbench_is_skipped_with_a_reason(bench, tmp_path: Path) -> None:
    report = bench("pgbench", "--database-url", f"sqlite:///{tmp_path / 'flexhub.db'}")

    assert report["database"] == "sqlite"
    assert report["pgbench_tps"] is None
    assert "SQLite" in report["pgbench_skipped"]


@pytest.mark.postgres
def test_on_postgresql_pgbench_reports_both_scripts(bench, postgres_server: str) -> None:
    if find_pgbench() is None:
        pytest.skip("pgbench is not installed: run `make pgbench`")

    report = bench("pgbench", "--seconds", "1", "--concurrency", "2", "--database-url", postgres_server)

    assert report["database"] == "postgresql"
    assert report["pgbench_tps"] > 0
    assert report["pgbench_batched_tps"] > 0
    assert report["pgbench_10_orders_per_s"] == pytest.approx(report["pgbench_10_tps"] * 10, rel=0.01)
    assert report["pgbench_batched_orders_per_s"] == pytest.approx(report["pgbench_batched_tps"] * 100, rel=0.01)


def test_the_pgbench_flag_adds_the_figures_to_an_order_run(bench, tmp_path: Path) -> None:
    report = bench("hot-sku", "--orders", "10", "--concurrency", "2", "--pgbench",
                   "--database-url", f"sqlite:///{tmp_path / 'flexhub.db'}")

    assert report["oversold"] == 0
    assert report["pgbench_tps"] is None


@pytest.mark.postgres
def test_pgbench_opens_no_more_clients_than_the_server_has_free(bench, postgres_server: str) -> None:
    if find_pgbench() is None:
        pytest.skip("pgbench is not installed: run `make pgbench`")

    report = bench("pgbench", "--seconds", "1", "--concurrency", "1000", "--database-url", postgres_server)

    assert report["pgbench_tps"] > 0
    engine = create_engine(postgres_server)
    with engine.connect() as connection:
        limit = int(connection.execute(text("SHOW max_connections")).scalar_one())
    engine.dispose()
    assert 1 <= report["pgbench_clients"] < limit

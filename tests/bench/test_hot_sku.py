"""`flexhub bench hot-sku`: one JSON object, nothing oversold, every unit of stock sold, user data untouched."""

import pytest
from sqlalchemy.engine import make_url


@pytest.mark.parametrize("mode", ["per-order", "combined"])
def test_hot_sku_sells_the_stock_once_and_refuses_the_rest(bench, check_report, untouched, server_url: str,
                                                           mode: str) -> None:
    report = bench("hot-sku", "--orders", "60", "--concurrency", "6", "--mode", mode, "--database-url", server_url)

    check_report(report, scenario="hot-sku", mode=mode, database=make_url(server_url).get_backend_name(),
                 attempted=60, stock=54)
    assert report["skus"] == 1
    assert untouched(server_url)


def test_the_stock_ratio_sets_how_short_the_stock_falls(bench, server_url: str) -> None:
    report = bench("hot-sku", "--orders", "40", "--concurrency", "4", "--stock-ratio", "0.5",
                   "--database-url", server_url)

    assert report["stock"] == 20
    assert report["orders_accepted"] == 20
    assert report["oversold"] == 0


@pytest.mark.postgres
def test_processes_share_one_stock_row_and_report_pgbench_beside(bench, check_report, postgres_server: str) -> None:
    report = bench("hot-sku", "--orders", "60", "--concurrency", "4", "--processes", "2",
                   "--database-url", postgres_server)

    check_report(report, scenario="hot-sku", mode="combined", database="postgresql", attempted=60, stock=54)
    assert (report["processes"], report["concurrency_per_process"], report["concurrency"]) == (2, 4, 8)
    assert len(report["per_process_orders_per_s"]) == 2
    assert len(report["loadavg"]) == 3
    assert report["pgbench_10_orders_per_s"] == pytest.approx(report["pgbench_10_tps"] * 10, rel=0.01)
    assert report["pgbench_10_ratio"] == pytest.approx(report["accepted_per_s"] / report["pgbench_10_orders_per_s"],
                                                       abs=1e-4)


def test_processes_need_postgresql(tmp_path) -> None:
    from flexhub.bench.hot_sku import hot_sku
    from flexhub.bench.processes import run_processes
    from flexhub.bench.run import Options

    with pytest.raises(ValueError, match="PostgreSQL"):
        run_processes(hot_sku(10, 0.5), Options(f"sqlite:///{tmp_path / 'x.db'}", "combined", 2, {}), 2)

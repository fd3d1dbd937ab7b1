"""`flexhub bench many-skus`: orders spread over K SKUs, each SKU sold to its stock and no further."""

import pytest
from sqlalchemy.engine import make_url


@pytest.mark.parametrize("mode", ["per-order", "combined"])
def test_many_skus_sells_each_skus_stock_once(bench, check_report, server_url: str, mode: str) -> None:
    report = bench("many-skus", "--orders", "60", "--skus", "5", "--concurrency", "6", "--mode", mode,
                   "--database-url", server_url)

    # 12 orders per SKU, 90 % of that in stock: 10 units each.
    check_report(report, scenario="many-skus", mode=mode, database=make_url(server_url).get_backend_name(),
                 attempted=60, stock=50)
    assert report["skus"] == 5


def test_more_orders_over_the_same_skus_sell_more(bench, check_report, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'users-data.db'}"
    small = bench("many-skus", "--orders", "20", "--skus", "4", "--concurrency", "2", "--database-url", url)
    large = bench("many-skus", "--orders", "40", "--skus", "4", "--concurrency", "2", "--database-url", url)

    # 5 and 10 orders per SKU, 90 % in stock: 4 and 9 units each.
    check_report(small, scenario="many-skus", mode="combined", database="sqlite", attempted=20, stock=16)
    check_report(large, scenario="many-skus", mode="combined", database="sqlite", attempted=40, stock=36)
    assert large["reserving_transactions"] >= 1 and large["reserved_units"] > small["reserved_units"]

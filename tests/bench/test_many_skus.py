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

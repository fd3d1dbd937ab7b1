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

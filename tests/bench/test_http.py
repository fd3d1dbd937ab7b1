"""`flexhub bench http`: `flexhub serve` and the bare app loaded by the same client; the stock audited after."""

from sqlalchemy.engine import make_url

CONTRACT = {"orders_per_s", "p50_ms", "p99_ms", "oversold", "bare_req_per_s", "ratio"}


def test_a_sale_over_http_sells_the_stock_once_and_refuses_the_rest(bench, untouched, server_url: str) -> None:
    report = bench("http", "--orders", "50", "--connections", "4", "--stock", "30", "--database-url", server_url)

    assert CONTRACT <= set(report)
    assert report["database"] == make_url(server_url).get_backend_name()
    assert report["statuses"] == {"201": 30, "409": 20}
    assert (report["accepted"], report["reserved_units"], report["oversold"]) == (30, 30, 0)
    assert report["bare_req_per_s"] > 0 and report["p50_ms"] <= report["p99_ms"]
    assert abs(report["ratio"] - report["orders_per_s"] / report["bare_req_per_s"]) < 0.01
    assert untouched(server_url)


def test_more_stock_is_more_orders_accepted(bench, server_url: str) -> None:
    report = bench("http", "--orders", "20", "--connections", "2", "--database-url", server_url)

    assert report["statuses"] == {"201": 20} and report["stock"] == 20 and report["oversold"] == 0

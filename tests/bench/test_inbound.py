"""`flexhub bench inbound`: one JSON object; every kept message imported once, the newer versions applied,
nothing oversold, nothing left pending, the user's data untouched."""

from sqlalchemy.engine import make_url


def test_inbound_imports_every_kept_message_once_and_reserves_the_stock_exactly(
        bench, untouched, server_url: str) -> None:
    report = bench("inbound", "--messages", "60", "--channels", "3", "--stock-ratio", "0.8",
                   "--database-url", server_url)

    assert (report["scenario"], report["database"]) == ("inbound", make_url(server_url).get_backend_name())
    assert (report["messages"], report["orders_imported"], report["orders_paid_by_update"]) == (60, 50, 10)
    assert (report["messages_left_pending"], report["channel_exceptions"], report["oversold"]) == (0, 0, 0)
    assert report["stock"] == 40 == report["reserved_units"] == report["orders_reserved_in_database"]
    assert report["messages_per_s"] > 0 and report["orders_per_s"] > 0
    assert untouched(server_url, "flexhub_bench_inbound")


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



def test_more_messages_import_more_orders(bench, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'users-data.db'}"
    small = bench("inbound", "--messages", "24", "--channels", "2", "--stock-ratio", "1", "--database-url", url)
    large = bench("inbound", "--messages", "48", "--channels", "2", "--stock-ratio", "1", "--database-url", url)

    # Every sixth message is a newer version of an order: 20 and 40 orders, 4 and 8 of them paid by it.
    assert (small["orders_imported"], small["orders_paid_by_update"]) == (20, 4)
    assert (large["orders_imported"], large["orders_paid_by_update"]) == (40, 8)
    assert (small["oversold"], large["oversold"]) == (0, 0)
    assert large["reserved_units"] == 40 > small["reserved_units"] == 20

"""The figures `bench sync` reports, from made-up records: lag to the first figure at or below, coalesced
changes, and which awaiting orders a stale figure let through."""

from flexhub.bench.sync import default_settle_s
from flexhub.bench.sync_figures import (
    Change,
    Received,
    Sale,
    changes_made,
    explain_oversold,
    lags,
    oversold,
    urgency_of,
)
from flexhub.settings import Settings


def test_lag_runs_to_the_first_figure_at_or_below_the_change() -> None:
    changes = [Change(10.0, "A", 9), Change(10.5, "A", 8)]
    received = [Received("s1", "shopify", "A", 9, 10.2), Received("s1", "shopify", "A", 8, 11.0),
                Received("s2", "taobao", "A", 8, 10.9)]  # s2 got one coalesced push for both changes

    figures = lags(changes, received, {"A": ["s1", "s2"]}, {"s1": "shopify", "s2": "taobao"})

    assert figures["lag_samples"] == 4 and figures["unconfirmed"] == 0
    assert figures["max_lag_ms"] == 900.0  # s2 for the first change
    # after s1's first figure (10.2) only the second change: 0.5 s
    assert figures["lag_by_platform"]["shopify"] == {"p50_ms": 200.0, "p99_ms": 500.0,
                                                     "after_first_figure_p99_ms": 500.0}


def test_the_lag_is_split_into_urgent_and_bulk_changes_as_the_hub_weighs_them() -> None:
    """Urgent: the figure near zero (2 or less), or the store sold the SKU within 5 s before the change."""
    changes = [Change(10.0, "A", 9), Change(20.0, "A", 2), Change(20.0, "B", 8)]
    received = [Received("s1", "amazon", "A", 9, 14.0), Received("s1", "amazon", "A", 2, 20.5),
                Received("s1", "amazon", "B", 8, 21.0)]
    sales = [Sale("s1", "B", 1, 17.0, "reserved")]  # s1 was selling B

    figures = lags(changes, received, {"A": ["s1"], "B": ["s1"]}, {"s1": "amazon"}, urgency_of(sales, 2, 5.0))

    assert figures["lag_by_platform"]["amazon"] == {"p50_ms": 1000.0, "p99_ms": 4000.0, "urgent_p99_ms": 1000.0,
                                                    "bulk_p99_ms": 4000.0, "urgent_samples": 2, "bulk_samples": 1,
                                                    "after_first_figure_p99_ms": 500.0}
    assert (figures["urgent_p99_lag_ms"], figures["bulk_p99_lag_ms"]) == (1000.0, 4000.0)


def test_the_lag_after_a_stores_first_figure_of_the_sale_is_given_apart() -> None:
    """A sale beginning from quiet: s2 (a slow store) gets its first lower figure a round after the first change."""
    changes = [Change(1.0, "A", 9), Change(2.0, "A", 8), Change(12.0, "A", 7)]
    received = [Received("s1", "generic", "A", 9, 1.1), Received("s1", "generic", "A", 8, 2.1),
                Received("s1", "generic", "A", 7, 12.1), Received("s2", "wechat", "A", 4, 10.0)]

    figures = lags(changes, received, {"A": ["s1", "s2"]}, {"s1": "generic", "s2": "wechat"})

    assert figures["p99_lag_ms"] == 9000.0  # s2's first round
    assert (figures["after_first_figure_p99_lag_ms"], figures["after_first_figure_samples"]) == (100.0, 3)
    assert figures["lag_by_platform"]["wechat"]["after_first_figure_p99_ms"] == 0.0  # 4 shown, 7 held


def test_a_change_a_store_never_got_is_unconfirmed() -> None:
    figures = lags([Change(1.0, "A", 3)], [Received("s1", "jd", "A", 4, 2.0)], {"A": ["s1"]}, {"s1": "jd"})
    assert (figures["lag_samples"], figures["unconfirmed"], figures["p99_lag_ms"]) == (0, 1, None)


def test_each_change_of_a_figure_changes_every_listing_of_it() -> None:
    changes = [Change(1.0, "A", 9), Change(2.0, "A", 9), Change(3.0, "A", 7), Change(3.0, "B", 4)]
    assert changes_made(changes, {"A": 10, "B": 4}, {"A": 3, "B": 3}) == 6


def test_an_order_accepted_after_the_hub_knew_the_sku_was_short_is_a_stale_figure() -> None:
    changes = [Change(5.0, "A", 0)]
    sales = [Sale("s1", "A", 1, 4.0, "awaiting_stock"), Sale("s2", "A", 1, 6.0, "awaiting_stock"),
             Sale("s3", "A", 1, 7.0, "reserved")]
    assert oversold(sales, changes, {"A": 1}) == {"stale_figure": 1, "in_flight": 1}


def test_each_oversold_order_is_explained_by_the_orders_imported_while_it_was_in_flight() -> None:
    """The last unit of A: s1's buyer took it at 4.0 (imported at 6.0), s2's at 5.0 while the hub still held it
    (imported at 7.0, after s1's): s2's order is in flight, taken from by s1's. s3's came after the hub showed 0."""
    changes = [Change(6.0, "A", 0)]
    sales = [Sale("s1", "A", 1, 4.0, "reserved", "o1", 6.0), Sale("s2", "A", 1, 5.0, "awaiting_stock", "o2", 7.0),
             Sale("s3", "A", 1, 8.0, "awaiting_stock", "o3", 9.0), Sale("s4", "B", 1, 5.5, "reserved", "o4", 6.5)]

    found = explain_oversold(sales, changes, {"A": 1, "B": 5}, started=0.0)

    assert [(f["order"], f["kind"], f["hub_available_when_placed"]) for f in found] == [
        ("o2", "in_flight", 1), ("o3", "stale_figure", 0)]
    assert found[0]["import_s"] == 2.0 and found[0]["units_taken_meanwhile"] == 1
    assert found[0]["units_taken_meanwhile_by"] == [
        {"store": "s1", "order": "o1", "quantity": 1, "placed_s": 4.0, "import_s": 2.0}]
    assert found[1]["units_taken_meanwhile_by"] == []  # nothing was left to take: the store's figure was stale
    assert len(found) == oversold(sales, changes, {"A": 1, "B": 5})["in_flight"] + 1


def test_each_oversold_order_names_the_figure_it_was_sold_on_and_when_the_lower_one_was_decided_and_confirmed(
        ) -> None:
    """s3 got 1 at 2.0 and sold on it at 8.0: the hub had decided 0 at 6.0 and s3 received 0 only at 8.5, so the
    sale fell in the push's lag (explained). s2 sold at 5.0 on the 1 it got at 2.0 while the hub held 1, which s1's
    order (placed at 4.0, imported at 6.0) took: in flight, explained, the hub's 0 decided after the sale."""
    changes = [Change(6.0, "A", 0)]
    sales = [Sale("s1", "A", 1, 4.0, "reserved", "o1", 6.0), Sale("s2", "A", 1, 5.0, "awaiting_stock", "o2", 7.0),
             Sale("s3", "A", 1, 8.0, "awaiting_stock", "o3", 9.0)]
    received = [Received("s2", "taobao", "A", 1, 2.0), Received("s3", "wechat", "A", 1, 2.0),
                Received("s2", "taobao", "A", 0, 6.4), Received("s3", "wechat", "A", 0, 8.5)]

    in_flight, stale = explain_oversold(sales, changes, {"A": 1}, started=0.0, received=received)

    assert (stale["store_showed"], stale["store_figure_received_s"]) == (1, 2.0)
    assert (stale["short_decided_s"], stale["short_confirmed_s"], stale["explained"]) == (6.0, 8.5, True)
    assert stale["why"] == "sold 2.0 s after the hub decided the SKU below it and 0.5 s before the store had it " \
                           "(push lag 2.5 s)"
    assert (in_flight["store_showed"], in_flight["short_decided_s"], in_flight["short_confirmed_s"]) == (1, 6.0, 6.4)
    assert in_flight["explained"] and "took 1" in in_flight["why"]


def test_a_stale_sale_after_the_store_had_the_lower_figure_is_not_explained() -> None:
    """The store had 0 at 6.5 and still took an order at 8.0 (as a store ignoring our figure would): unexplained."""
    changes = [Change(6.0, "A", 0)]
    sales = [Sale("s3", "A", 1, 8.0, "awaiting_stock", "o3", 9.0)]
    received = [Received("s3", "wechat", "A", 1, 2.0), Received("s3", "wechat", "A", 0, 6.5)]

    [found] = explain_oversold(sales, changes, {"A": 1}, started=0.0, received=received)

    assert (found["store_showed"], found["explained"]) == (0, False)


def test_the_figure_a_store_showed_when_the_sale_began_counts() -> None:
    """A store told before the sale to show 4 (a sale announced ahead) never shows more than the hub's 7 or 5."""
    changes = [Change(10.0, "A", 7), Change(11.0, "A", 5), Change(12.0, "A", 3)]
    received = [Received("s1", "amazon", "A", 20, 1.0), Received("s1", "amazon", "A", 4, 8.0),
                Received("s1", "amazon", "A", 2, 14.0)]

    figures = lags(changes, received, {"A": ["s1"]}, {"s1": "amazon"}, started=9.0)

    assert (figures["lag_samples"], figures["max_lag_ms"]) == (3, 2000.0)  # only 3 waited: from 12.0 to 14.0
    assert (figures["after_first_figure_p99_lag_ms"], figures["after_first_figure_samples"]) == (None, 0)


def test_a_figure_raised_again_shows_more_until_a_lower_one_arrives() -> None:
    """Held back to 4, then raised to 9 (the hold released): a change to 7 after the rise waits for the next figure,
    where the lowest figure so far (4) would have hidden it."""
    changes = [Change(6.0, "A", 7)]
    received = [Received("s1", "wechat", "A", 4, 2.0), Received("s1", "wechat", "A", 9, 5.0),
                Received("s1", "wechat", "A", 7, 8.5)]

    figures = lags(changes, received, {"A": ["s1"]}, {"s1": "wechat"})

    assert figures["max_lag_ms"] == 2500.0


def test_the_settle_waits_for_the_holds_to_end_and_the_slowest_store_to_take_its_figures_back() -> None:
    settings = Settings(hold_back_sales_window_s=30.0)
    assert default_settle_s([0.1, 44.4, 22.2], settings) == 118.8  # Amazon's round of 200 SKUs, twice, after 30 s
    assert default_settle_s([0.1, 2.2], settings) == 60.0  # never less than a minute
    assert default_settle_s([], settings) == 60.0

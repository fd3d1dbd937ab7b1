"""The scale-out test's counters can be seen to count: an order kept twice, and units reserved past the stock."""

from flexhub.testing.sale_figures import kept_twice, units_oversold


def test_an_order_kept_twice_is_one_duplicate_and_three_times_two() -> None:
    assert kept_twice(["A-1", "A-2", "A-3"]) == 0
    assert kept_twice(["A-1", "A-2", "A-1"]) == 1
    assert kept_twice(["A-1", "A-1", "A-2", "A-1", "A-2"]) == 3


def test_units_reserved_past_the_stock_are_oversold() -> None:
    assert units_oversold(reserved=150, stock=150) == 0
    assert units_oversold(reserved=120, stock=150) == 0
    assert units_oversold(reserved=153, stock=150) == 3

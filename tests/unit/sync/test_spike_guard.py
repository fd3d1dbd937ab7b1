"""Holding units back from shared listings while a SKU sells fast (allocation.SpikeGuard, sync.SalesPace)."""

from datetime import UTC, datetime, timedelta

from flexhub.sync.allocation import Policy, SpikeGuard, allocate, sell_through
from flexhub.sync.figures import SalesPace

GUARD = SpikeGuard(window_s=5.0, horizon_s=2.0, min_per_s=2.0)
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_slow_sale_is_no_spike():
    assert GUARD.held_back(units_sold=9) is None  # 1.8 a second
    assert GUARD.held_back(0) is None


def test_a_fast_sale_holds_back_what_sells_while_a_figure_travels():
    assert GUARD.held_back(units_sold=20) == 8  # 4 a second, for 2 s
    assert GUARD.held_back(units_sold=20, behind_s=3.0, waiting_orders=0) == 20  # and for the 3 s behind


def test_a_hub_behind_on_its_orders_is_in_a_spike_whatever_the_pace():
    assert GUARD.held_back(units_sold=0, behind_s=2.5, waiting_orders=6.2) == 7
    assert GUARD.held_back(units_sold=0, behind_s=0.4, waiting_orders=6) is None  # hardly behind


def test_turned_off_holds_nothing():
    assert SpikeGuard(horizon_s=0).held_back(1000, 60.0, 500) is None


def test_in_a_spike_shared_listings_split_the_rest_and_carve_outs_keep_theirs():
    policies = {"live": Policy(mode="quota", quota=10), "a": Policy(), "b": Policy(), "c": Policy(priority=1)}
    assert allocate(40, policies) == {"live": 10, "a": 30, "b": 30, "c": 30}
    assert allocate(40, policies, held_back=10) == {"live": 10, "c": 7, "a": 7, "b": 6}
    assert allocate(40, policies, held_back=100) == {"live": 10, "a": 0, "b": 0, "c": 0}


def test_the_pace_is_how_far_the_figure_fell_within_the_window():
    pace = SalesPace(GUARD)
    key = ("tenant", "sku", ("spot",))
    assert pace.held_back(key, 100, T0) is None  # the first figure: nothing fell yet
    assert pace.held_back(key, 120, T0 + timedelta(seconds=1)) is None  # a receipt is no sale
    assert pace.held_back(key, 100, T0 + timedelta(seconds=2)) == 8  # 20 sold in the window: 4 a second
    assert pace.held_back(key, 100, T0 + timedelta(seconds=8)) is None  # the window passed: no spike


def test_orders_waiting_to_be_read_are_laid_on_skus_by_their_part_of_the_sales():
    pace = SalesPace(GUARD)
    hot, cold = ("t", "hot", ("spot",)), ("t", "cold", ("spot",))
    pace.held_back(hot, 100, T0)
    pace.held_back(cold, 100, T0)
    pace.behind = (3.0, 10)
    # hot: 20 sold, 4 a second for 2 + 3 s = 20 (its part of the 10 waiting, all of them, is less)
    assert pace.held_back(hot, 80, T0 + timedelta(seconds=1)) == 20
    # cold: 5 of the 25 sold, twice its part of the 10 waiting = 4; its pace, 1 a second for 5 s = 5
    assert pace.held_back(cold, 95, T0 + timedelta(seconds=1)) == 5


def test_in_a_spike_the_split_follows_each_listings_sales_and_a_quiet_store_keeps_a_floor():
    policies = {"tb": Policy(), "dy": Policy(), "amazon": Policy()}
    # 30 left: a tenth spread evenly (1 each), the rest by sales 6 : 3 : 0
    assert allocate(30, policies, held_back=0, sold={"tb": 6, "dy": 3}) == {"tb": 19, "dy": 10, "amazon": 1}
    assert allocate(30, policies, held_back=0, sold={}) == {"tb": 10, "dy": 10, "amazon": 10}  # nothing sold: even
    assert allocate(30, policies, sold={"tb": 6}) == {"tb": 30, "dy": 30, "amazon": 30}  # no spike: all share it


def test_sell_through_is_a_listings_own_sales_and_three_times_its_channels_average_sale_of_a_sku():
    assert sell_through({"tb": 2, "dy": 0}, {"tb": 1.5, "dy": 0.5, "amazon": 0.0}) == {
        "tb": 6.5, "dy": 1.5, "amazon": 0.0}

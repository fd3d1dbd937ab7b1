"""Holding units back from each shared listing for its channel's round (allocation.HoldBack, channel_rounds,
sync.sales_pace.SalesPace): what the SKU is likely to sell before the listing's next figure reaches its store."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from flexhub.channels.allocation import describe
from flexhub.sync.allocation import HoldBack, Policy, allocate, channel_rounds, poisson_quantile, steadied
from flexhub.sync.sales_pace import SalesPace

HOLD = HoldBack(quantile=0.99, window_s=5.0, sales_window_s=30.0)
SHARED = Policy()
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_high_quantile_of_the_sales_in_the_round_not_the_mean():
    # bench sync's 0.28 units a second: WeChat's 22.2 s round has 6.2 sales on average, 13 in 99 rounds of 100
    assert poisson_quantile(0.28 * 22.2, 0.99) == 13
    assert poisson_quantile(0.28 * 22.2, 0.5) == 6
    assert poisson_quantile(0.0, 0.99) == 0
    assert poisson_quantile(0.01, 0.99) == 0  # a 1 % chance of a sale is within the quantile
    assert poisson_quantile(0.02, 0.99) == 1
    assert 1000 < poisson_quantile(1000.0, 0.99) < 1100  # the normal approximation past 500


def test_a_slow_store_holds_back_more_than_a_fast_one_and_nothing_at_quiet_times():
    assert HOLD.units(SHARED, per_second=0.28, round_s=44.4) == 21  # Amazon's patches
    assert HOLD.units(SHARED, per_second=0.28, round_s=22.2) == 13  # WeChat, a SKU a call
    assert HOLD.units(SHARED, per_second=0.28, round_s=5.6) == 5  # Taobao, an item's SKUs a call
    assert HOLD.units(SHARED, per_second=0.28, round_s=0.02) == 0  # the catalog in one call
    assert HOLD.units(SHARED, per_second=0.0, round_s=44.4) == 0  # nothing sold lately


def test_orders_waiting_to_be_imported_are_held_back_at_every_store():
    assert HOLD.units(SHARED, per_second=0.0, round_s=0.0, waiting=2.4) == 3
    assert HOLD.units(SHARED, per_second=0.28, round_s=22.2, waiting=2.4) == 13  # the round's sales are more


def test_a_channel_setting_bounds_the_round_or_turns_it_off_and_carve_outs_hold_nothing():
    assert HOLD.units(Policy(hold_back_s=5.6), per_second=0.28, round_s=22.2) == 5
    assert HOLD.units(Policy(hold_back_s=60), per_second=0.28, round_s=22.2) == 13  # a bound, not a round
    assert HOLD.units(Policy(hold_back_s=0), per_second=5.0, round_s=22.2, waiting=9) == 0
    assert HOLD.units(Policy(mode="quota", quota=10), per_second=5.0, round_s=22.2) == 0
    assert HoldBack(quantile=0).units(SHARED, per_second=5.0, round_s=22.2, waiting=9) == 0


def test_each_shared_listing_shows_what_remains_less_its_hold_and_carve_outs_keep_theirs():
    policies = {"live": Policy(mode="quota", quota=10), "web": SHARED, "taobao": SHARED, "wechat": SHARED}
    assert allocate(40, policies) == {"live": 10, "web": 30, "taobao": 30, "wechat": 30}
    assert allocate(40, policies, {"web": 1, "taobao": 5, "wechat": 13}) == {
        "live": 10, "web": 29, "taobao": 25, "wechat": 17}


def test_the_listing_holding_back_least_holds_at_most_what_the_others_show():
    policies = {"web": SHARED, "taobao": SHARED, "wechat": SHARED}
    # 4 left: Taobao and WeChat show none, so none can be sold elsewhere before the web shop's next figure
    assert allocate(4, policies, {"web": 1, "taobao": 5, "wechat": 13}) == {"web": 4, "taobao": 0, "wechat": 0}
    # 6 left: Taobao shows 1, which is all the others could sell meanwhile
    assert allocate(6, policies, {"web": 2, "taobao": 5, "wechat": 13}) == {"web": 5, "taobao": 1, "wechat": 0}
    assert allocate(6, {"web": SHARED}, {"web": 3}) == {"web": 6}  # alone, nobody else sells its units


def test_the_pace_is_the_falls_of_the_last_30_s_over_the_time_since_the_first_of_them():
    pace = SalesPace(HOLD)
    key = ("tenant", "sku", ("spot",))
    assert pace.pace(key, 100, T0) == (0.0, 0.0)  # the first figure: nothing fell yet
    assert pace.pace(key, 120, T0 + timedelta(seconds=1)) == (0.0, 0.0)  # a receipt is no sale
    assert pace.pace(key, 100, T0 + timedelta(seconds=2)) == (4.0, 0.0)  # 20 at once: over 5 s at least
    assert pace.pace(key, 90, T0 + timedelta(seconds=12)) == (3.0, 0.0)  # 30 since the first fall 10 s ago
    assert pace.pace(key, 90, T0 + timedelta(seconds=33)) == (10 / 21, 0.0)  # the first 20 left the window
    assert pace.pace(key, 90, T0 + timedelta(seconds=43)) == (0.0, 0.0)  # quiet for 30 s


def test_a_held_figure_falls_at_once_but_rises_only_by_a_rounds_mean_sales_or_when_nothing_is_held():
    assert steadied(None, 9, held=13, mean=6.2) == 9  # a first figure
    assert steadied(12, 9, held=13, mean=6.2) == 9  # lower: at once
    assert steadied(9, 12, held=13, mean=6.2) == 9  # 3 more, fewer than the 6.2 a round sells: kept
    assert steadied(9, 16, held=6, mean=6.2) == 16
    assert steadied(9, 22, held=0, mean=0.0) == 22  # nothing held back any more: all of it
    assert steadied(9, 10, held=1, mean=0.1) == 10  # a quick store's rise of one


def test_orders_waiting_to_be_read_are_laid_on_skus_by_their_part_of_the_sales():
    pace = SalesPace(HOLD)
    hot, cold = ("t", "hot", ("spot",)), ("t", "cold", ("spot",))
    pace.pace(hot, 100, T0)
    pace.pace(cold, 100, T0)
    pace.behind = (3.0, 10)
    assert pace.pace(hot, 80, T0 + timedelta(seconds=1)) == (4.0, 10.0)  # 20 of 20 sold: all 10 waiting
    assert pace.pace(cold, 95, T0 + timedelta(seconds=1)) == (1.0, 4.0)  # 5 of 25: twice its part of the 10
    pace.behind = (0.4, 10)  # hardly behind
    assert pace.pace(cold, 95, T0 + timedelta(seconds=1)) == (1.0, 0.0)


def test_a_channels_round_is_its_confirmed_pushes_lag_or_its_oldest_waiting_figure_whichever_is_longer():
    def row(channel, state, changed_s, pushed_s=None):  # type: ignore[no-untyped-def]
        return SimpleNamespace(channel_id=channel, state=state, changed_at=T0 + timedelta(seconds=changed_s),
                               pushed_at=None if pushed_s is None else T0 + timedelta(seconds=pushed_s))

    rows = [row("wechat", "synced", n, n + 20 + n % 3) for n in range(10)]  # lags 20-22 s
    rows += [row("web", "synced", 30, 30.2), row("web", "pending", 59.9)]
    rows += [row("amazon", "synced", 10, 11), row("amazon", "feeding", 15)]  # a feed out for 45 s
    rounds = channel_rounds(rows, T0 + timedelta(seconds=60))
    assert rounds == {"wechat": 22.0, "web": 0.2, "amazon": 45.0}


def test_the_setting_and_what_was_held_read_in_a_few_words():
    assert describe({"mode": "shared", "hold_back_s": 0}) == "shared · holds nothing back"
    assert describe({"mode": "shared", "hold_back_s": 5.5}) == "shared · holds back for 5.5 s at most"
    assert describe({"mode": "shared", "held_back": 13, "round_s": 22.2}) == "shared · held back 13 for a 22.2 s round"

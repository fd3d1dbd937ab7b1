"""Replenishment formulas against published values, and the order arithmetic around them."""

from datetime import date

import pytest

from flexhub.replenishment import rules


def test_newsvendor_matches_the_published_value():
    # N(50, 8²), h = 0.18, p = 0.70 → S* = 56.604
    assert rules.newsvendor_quantity(50, 8, holding=0.18, shortage=0.70) == pytest.approx(56.604, abs=1e-3)


def test_economic_order_quantity_matches_the_published_value():
    # K = 8, h = 0.225, λ = 1300 → Q* = 304.05
    assert rules.economic_order_quantity(order_cost=8, holding=0.225, annual_demand=1300) == pytest.approx(
        304.05, abs=1e-2)


def test_normal_safety_stock_is_z_sigma_root_days():
    assert rules.normal_safety_stock(2.0, 9, 0.95) == pytest.approx(1.6449 * 2 * 3, abs=1e-3)


@pytest.mark.parametrize(("mean", "service", "expected"), [(0, 0.95, 0), (1.0, 0.95, 3), (4.0, 0.95, 8),
                                                          (10.0, 0.5, 10)])
def test_poisson_quantile(mean, service, expected):
    assert rules.poisson_quantile(mean, service) == expected


def test_error_quantile_is_the_stock_beyond_the_forecast_that_covered_that_share():
    errors = [float(e) for e in range(-10, 10)]  # 20 past intervals
    assert rules.error_quantile(errors, 0.95) == 8.0
    assert rules.error_quantile([], 0.95) == 0.0


@pytest.mark.parametrize(("needed", "moq", "pack", "expected"), [(0, 10, 6, 0), (-3, 1, 1, 0), (4.2, 1, 1, 5),
                                                                 (4, 10, 1, 10), (11, 10, 6, 12)])
def test_order_quantity_respects_moq_and_packs(needed, moq, pack, expected):
    assert rules.order_quantity(needed, moq=moq, pack=pack) == expected


def test_order_up_to_and_reorder_point():
    assert rules.order_up_to(12, 30, pack=5) == 20
    assert rules.order_up_to(31, 30) == 0
    assert rules.reorder_point_order(11, 10, 24) == 0
    assert rules.reorder_point_order(10, 10, 24) == 24
    assert rules.reorder_point_order(-30, 10, 24) == 48


def test_stockout_date_is_the_first_day_demand_outruns_stock():
    assert rules.stockout_date(5, [2, 2, 2, 2], date(2025, 3, 1)) == date(2025, 3, 3)
    assert rules.stockout_date(10, [2, 2], date(2025, 3, 1)) is None


def test_transfers_cover_a_shortfall_from_surplus_before_buying():
    needs = [rules.Need("TEE", "STORE-1", position=2, target=10, days_of_cover=1.0),
             rules.Need("TEE", "WH", position=30, target=20, days_of_cover=15.0)]
    moved, left = rules.transfers(needs)
    assert moved == [rules.Suggestion("transfer", "TEE", "STORE-1", 8, "WH")]
    assert [n.shortfall for n in left] == [0, 0]


def test_purchases_in_packs_within_a_budget_shortest_cover_first():
    needs = [rules.Need("A", "WH", 0, 10, unit_cost=100, pack=6, days_of_cover=0.0),
             rules.Need("B", "WH", 0, 10, unit_cost=100, moq=10, days_of_cover=3.0)]
    assert rules.purchases(needs) == [rules.Suggestion("purchase", "A", "WH", 12),
                                      rules.Suggestion("purchase", "B", "WH", 10)]
    # 1,500 pays A's 12 units, and B's 3 remaining units fall short of its MOQ of 10
    assert rules.purchases(needs, budget=1500) == [rules.Suggestion("purchase", "A", "WH", 12)]
    assert rules.purchases(needs, budget=1000) == [rules.Suggestion("purchase", "A", "WH", 6)]


def test_production_stays_within_capacity():
    needs = [rules.Need("A", "WH", 0, 40, days_of_cover=0.0), rules.Need("B", "WH", 0, 40, days_of_cover=2.0)]
    assert rules.production(needs, capacity=50) == [rules.Suggestion("production", "A", "WH", 40),
                                                    rules.Suggestion("production", "B", "WH", 10)]


def test_preallocation_fills_the_shortest_cover_first_from_free_surplus_only():
    """The store has 2 for 10 expected, the region 5 for 10: the store (less cover) is filled first. The central
    warehouse holds 30 for its own 6 and gives 24; units on the road to the region are not its to give."""
    holdings = [rules.Holding("TEE", "CENTRAL", 30, 0, 6, 6.0), rules.Holding("TEE", "STORE", 2, 0, 14, 10.0),
                rules.Holding("TEE", "REGION", 0, 5, 15, 10.0), rules.Holding("CAP", "STORE", 0, 0, 3, 2.0)]
    assert rules.preallocation_moves(holdings) == [
        {"sku": "TEE", "from": "CENTRAL", "to": "STORE", "quantity": 12},
        {"sku": "TEE", "from": "CENTRAL", "to": "REGION", "quantity": 10},
    ]  # the cap has no donor: nothing moves for it


def test_quotas_share_a_target_in_whole_units_that_sum_to_it():
    assert rules.quotas(10, {"web": 2.0, "live": 1.0, None: 0.0}) == {"web": 7, "live": 3, None: 0}
    assert sum(rules.quotas(7, {"a": 1.0, "b": 1.0, "c": 1.0}).values()) == 7
    assert rules.quotas(0, {"a": 1.0}) == {"a": 0} and rules.quotas(5, {"a": 0.0}) == {"a": 0}

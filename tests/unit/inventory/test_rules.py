"""The pure stock rules: movement deltas, the level guard, and all-or-none reservation plans."""

import uuid
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexhub.inventory.errors import InsufficientStock, NegativeStock
from flexhub.inventory.rules import (
    Delta,
    Level,
    Need,
    is_valid_pool,
    movement_delta,
    plan_in_arrival_order,
    plan_reservation,
)
from flexhub.testing import strategies

SKU, OTHER_SKU = uuid.UUID(int=1), uuid.UUID(int=2)
NEAR, FAR, STORE = uuid.UUID(int=101), uuid.UUID(int=102), uuid.UUID(int=103)


def make_level(n: int, on_hand: int, *, reserved: int = 0, safety: int = 0, sku: uuid.UUID = SKU,
               location: uuid.UUID = NEAR, pool: str = "spot") -> Level:
    return Level(uuid.UUID(int=1_000 + n), sku, location, pool, on_hand, reserved, safety)


def by_id(*levels: Level) -> dict[uuid.UUID, Level]:
    """Levels in candidate order, keyed as the planner wants them."""
    return {lv.id: lv for lv in levels}


def spot(quantity: int, sku: uuid.UUID = SKU, line_no: int = 1) -> Need:
    return Need(sku, quantity, ("spot",), line_no)


# --- movement deltas ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "expected"), [
    ("receive", Delta(on_hand=5)),
    ("return", Delta(on_hand=5)),
    ("reserve", Delta(reserved=5)),
    ("release", Delta(reserved=-5)),
    ("ship", Delta(on_hand=-5, reserved=-5)),
    ("transfer_in", Delta(on_hand=5, in_transit=-5)),
    ("adjust", Delta(on_hand=5)),
    ("count", Delta(on_hand=5)),
])
def test_each_movement_kind_moves_its_own_figures(kind: str, expected: Delta) -> None:
    assert movement_delta(kind, 5) == expected


def test_signed_kinds_keep_the_sign_of_their_quantity() -> None:
    assert movement_delta("adjust", -3) == Delta(on_hand=-3)
    assert movement_delta("count", -3) == Delta(on_hand=-3)


def test_deltas_add_up_and_know_when_they_are_zero() -> None:
    assert Delta(1, 2, 3) + Delta(-1, -2, 4) == Delta(0, 0, 7)
    assert Delta().is_zero() and not Delta(in_transit=1).is_zero()


@pytest.mark.parametrize("pool", ["spot", "presale", "consigned:r1"])
def test_known_pools_are_valid(pool: str) -> None:
    assert is_valid_pool(pool)


@pytest.mark.parametrize("pool", ["", "Spot", "consigned:", "reserved", "presale "])
def test_other_pools_are_refused(pool: str) -> None:
    assert not is_valid_pool(pool)


# --- the level guard (invariant 2) -------------------------------------------------------------------


def test_available_is_on_hand_less_reserved_and_safety_never_below_zero() -> None:
    assert make_level(1, 10, reserved=3, safety=2).available == 5
    assert make_level(1, 10, reserved=8, safety=5).available == 0


def test_a_level_after_a_delta_carries_the_new_figures() -> None:
    after = make_level(1, 10, reserved=2).after(Delta(on_hand=-3, reserved=1))
    assert (after.on_hand, after.reserved, after.in_transit) == (7, 3, 0)


@pytest.mark.parametrize(("delta", "error"), [
    (Delta(on_hand=-11), NegativeStock),  # more than is on hand
    (Delta(reserved=-3), NegativeStock),  # releasing more than is reserved
    (Delta(in_transit=-1), NegativeStock),  # receiving what was never sent
    (Delta(on_hand=-9), InsufficientStock),  # removing reserved units
    (Delta(reserved=9), InsufficientStock),  # reserving past on hand
    (Delta(reserved=7), InsufficientStock),  # reserving into the safety stock
])
def test_a_level_refuses_what_would_break_invariant_2(delta: Delta, error: type) -> None:
    with pytest.raises(error):
        make_level(1, 10, reserved=2, safety=2).after(delta)


def test_reserving_up_to_the_safety_stock_is_allowed() -> None:
    assert make_level(1, 10, reserved=2, safety=2).after(Delta(reserved=6)).available == 0


def test_removing_unreserved_units_may_eat_into_safety_stock() -> None:
    """Safety stock only holds back reservations; a write-off of unreserved units still happens."""
    assert make_level(1, 10, reserved=2, safety=5).after(Delta(on_hand=-8)).on_hand == 2


@given(strategies.levels(max_size=1), st.integers(-25, 25), st.integers(-25, 25))
def test_a_level_after_any_accepted_delta_keeps_invariant_2(levels: dict, on_hand: int, reserved: int) -> None:
    for level in levels.values():
        try:
            after = level.after(Delta(on_hand=on_hand, reserved=reserved))
        except (NegativeStock, InsufficientStock):
            continue
        assert 0 <= after.reserved <= after.on_hand
        if reserved > 0:
            assert after.on_hand - after.reserved - after.safety >= 0


# --- reservation plans -------------------------------------------------------------------------------


def test_a_plan_takes_from_the_first_location_that_covers_the_need() -> None:
    levels = by_id(make_level(1, 10, location=NEAR), make_level(2, 10, location=FAR))
    takes = plan_reservation([spot(4)], levels)
    assert [(t.location_id, t.quantity) for t in takes] == [(NEAR, 4)]
    assert levels[uuid.UUID(int=1_001)].reserved == 4


def test_a_plan_prefers_a_single_location_covering_the_whole_need() -> None:
    levels = by_id(make_level(1, 3, location=NEAR), make_level(2, 10, location=FAR))
    takes = plan_reservation([spot(5)], levels)
    assert [(t.location_id, t.quantity) for t in takes] == [(FAR, 5)]


def test_a_plan_spreads_over_locations_in_candidate_order_when_none_covers_the_need() -> None:
    levels = by_id(make_level(1, 3, location=NEAR), make_level(2, 2, location=FAR),
                   make_level(3, 4, location=STORE))
    takes = plan_reservation([spot(6)], levels)
    assert [(t.location_id, t.quantity) for t in takes] == [(NEAR, 3), (FAR, 2), (STORE, 1)]


def test_a_plan_skips_levels_with_nothing_available() -> None:
    levels = by_id(make_level(1, 5, reserved=5), make_level(2, 5, safety=5, location=FAR),
                   make_level(3, 5, location=STORE))
    takes = plan_reservation([spot(2)], levels)
    assert [(t.location_id, t.quantity) for t in takes] == [(STORE, 2)]


def test_a_plan_is_all_or_none() -> None:
    levels = by_id(make_level(1, 10), make_level(2, 1, sku=OTHER_SKU))
    before = dict(levels)
    assert plan_reservation([spot(2, line_no=1), spot(2, sku=OTHER_SKU, line_no=2)], levels) is None
    assert levels == before  # the first line's take was not kept


def test_needs_of_one_plan_see_each_others_takes() -> None:
    levels = by_id(make_level(1, 5))
    assert plan_reservation([spot(3, line_no=1), spot(3, line_no=2)], levels) is None
    takes = plan_reservation([spot(3, line_no=1), spot(2, line_no=2)], levels)
    assert [(t.line_no, t.quantity) for t in takes] == [(1, 3), (2, 2)]


def test_a_plan_tries_pools_in_the_order_the_need_names_them() -> None:
    levels = by_id(make_level(1, 10, pool="spot"), make_level(2, 4, pool="consigned:r1"))
    pools = ("consigned:r1", "spot")
    assert [t.pool for t in plan_reservation([Need(SKU, 3, pools)], levels)] == ["consigned:r1"]
    # The consigned pool has one left: the next need is met from spot as a whole, pools never mix.
    assert [(t.pool, t.quantity) for t in plan_reservation([Need(SKU, 3, pools)], levels)] == [("spot", 3)]


def test_a_need_never_draws_from_a_pool_it_does_not_name() -> None:
    levels = by_id(make_level(1, 10, pool="spot"), make_level(2, 1, pool="presale"))
    assert plan_reservation([Need(SKU, 2, ("presale",))], levels) is None
    assert plan_reservation([Need(SKU, 2, ())], levels) is None


def test_requests_are_decided_in_arrival_order() -> None:
    levels = by_id(make_level(1, 5))
    planned = plan_in_arrival_order([[spot(3)], [spot(3)], [spot(2)], [spot(1)]], levels)
    assert [None if takes is None else sum(t.quantity for t in takes) for takes in planned] == [3, None, 2, None]
    assert levels[uuid.UUID(int=1_001)].reserved == 5


@given(strategies.levels(), strategies.needs())
def test_a_plan_matches_a_model_of_pool_totals(levels: dict, needs: list[Need]) -> None:
    """Per (SKU, pool) only the total available matters: a need is met from its first pool with enough."""
    model: dict[tuple, int] = defaultdict(int)
    for lv in levels.values():
        model[(lv.sku_id, lv.pool)] += lv.available
    expected_pools = []
    for need in needs:
        pool = next((p for p in need.pools if model[(need.sku_id, p)] >= need.quantity), None)
        if pool is None:
            expected_pools = None
            break
        model[(need.sku_id, pool)] -= need.quantity
        expected_pools.append(pool)
    before = dict(levels)

    takes = plan_reservation(needs, levels)

    if expected_pools is None:
        assert takes is None and levels == before
        return
    for need, pool in zip(needs, expected_pools, strict=True):
        own = [t for t in takes if t.line_no == need.line_no]
        assert sum(t.quantity for t in own) == need.quantity
        assert {(t.sku_id, t.pool) for t in own} == {(need.sku_id, pool)}
    taken: dict[uuid.UUID, int] = defaultdict(int)
    for take in takes:
        assert take.quantity > 0
        taken[take.level_id] += take.quantity
    for level_id, old in before.items():
        new = levels[level_id]
        assert new.reserved == old.reserved + taken[level_id]
        assert taken[level_id] <= old.available
        assert 0 <= new.reserved <= new.on_hand


@given(strategies.levels(), st.lists(strategies.needs(max_size=2), min_size=1, max_size=5))
def test_arrival_order_planning_never_takes_past_what_is_available(levels: dict, requests: list) -> None:
    before = dict(levels)
    planned = plan_in_arrival_order(requests, levels)
    taken: dict[uuid.UUID, int] = defaultdict(int)
    for takes in planned:
        for take in takes or []:
            taken[take.level_id] += take.quantity
    for level_id, old in before.items():
        assert levels[level_id].reserved - old.reserved == taken[level_id] <= old.available

"""The pure order rules: the state machine, amounts, and the stock each line needs."""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexhub.inventory.rules import Need
from flexhub.ordering.errors import InvalidOrder, InvalidTransition
from flexhub.ordering.rules import STATUSES, TRANSITIONS, LineDemand, amounts, check_transition, needs_for
from flexhub.testing import strategies

TEE, CAP, GIFT_SET = uuid.UUID(int=1), uuid.UUID(int=2), uuid.UUID(int=9)
GIFT_SET_PARTS = {GIFT_SET: [(TEE, 1), (CAP, 2)]}

# --- the state machine -------------------------------------------------------------------------------


def test_every_status_has_its_transitions_and_they_lead_to_known_statuses() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    assert all(targets <= set(STATUSES) for targets in TRANSITIONS.values())


@pytest.mark.parametrize(("current", "target"), [(c, t) for c in STATUSES for t in sorted(TRANSITIONS[c])])
def test_an_allowed_transition_passes(current: str, target: str) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [
    ("received", "shipped"),
    ("reserved", "delivered"),
    ("packed", "cancelled"),  # too late: it is in a parcel
    ("shipped", "cancelled"),
    ("cancelled", "cancelled"),  # a cancellation happens once
    ("cancelled", "reserved"),
    ("delivered", "exception"),
    ("closed", "received"),
])
def test_a_transition_not_listed_is_refused(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_transition(current, target)
    assert refused.value.code == "ordering.invalid_transition"
    assert refused.value.details == {"status": current}


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES))
def test_check_transition_agrees_with_the_table(current: str, target: str) -> None:
    if target in TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(InvalidTransition):
            check_transition(current, target)


def test_closed_is_final_and_every_status_can_reach_it() -> None:
    assert TRANSITIONS["closed"] == frozenset()
    reachable = {"closed"}
    while True:
        more = {s for s in STATUSES if TRANSITIONS[s] & reachable} - reachable
        if not more:
            break
        reachable |= more
    assert reachable == set(STATUSES)


# --- amounts -----------------------------------------------------------------------------------------


def test_amounts_add_lines_take_off_discounts_and_add_shipping() -> None:
    totals = amounts([(2, 9900, 500), (1, 4900, 0)], shipping_fee=1000, order_discount=300)
    assert (totals.subtotal, totals.discount_total, totals.shipping_fee, totals.total) == (24700, 800, 1000, 24900)


def test_a_free_order_is_allowed() -> None:
    assert amounts([(1, 1000, 1000)], shipping_fee=0, order_discount=0).total == 0


def test_discounts_beyond_the_orders_value_are_refused() -> None:
    with pytest.raises(InvalidOrder) as refused:
        amounts([(1, 1000, 600)], shipping_fee=0, order_discount=500)
    assert refused.value.details == {"subtotal": 1000, "discount": 1100}


@given(strategies.amounts_lines(), st.integers(0, 5_000), st.integers(0, 50_000))
def test_amounts_balance_or_are_refused(lines: list, shipping_fee: int, order_discount: int) -> None:
    subtotal = sum(q * p for q, p, _ in lines)
    discount = sum(d for *_, d in lines) + order_discount
    if subtotal - discount + shipping_fee < 0:
        with pytest.raises(InvalidOrder):
            amounts(lines, shipping_fee, order_discount)
        return
    totals = amounts(lines, shipping_fee, order_discount)
    assert totals.total == totals.subtotal - totals.discount_total + totals.shipping_fee >= 0
    assert (totals.subtotal, totals.discount_total) == (subtotal, discount)


# --- what stock each line needs ----------------------------------------------------------------------


def test_a_plain_line_needs_its_sku_from_the_channels_pools_in_order() -> None:
    needs = needs_for([LineDemand(1, TEE, 2, False)], {}, ["consigned:r1", "spot"])
    assert needs == [Need(TEE, 2, ("consigned:r1", "spot"), 1)]


def test_a_bundle_line_needs_each_component_times_the_quantity() -> None:
    needs = needs_for([LineDemand(1, GIFT_SET, 3, False), LineDemand(2, TEE, 1, False)], GIFT_SET_PARTS, ["spot"])
    assert needs == [Need(TEE, 3, ("spot",), 1), Need(CAP, 6, ("spot",), 1), Need(TEE, 1, ("spot",), 2)]


def test_a_presale_line_draws_only_on_presale_and_a_spot_line_never_does() -> None:
    lines = [LineDemand(1, TEE, 1, True), LineDemand(2, CAP, 1, False)]
    needs = needs_for(lines, {}, ["spot", "presale"])
    assert [n.pools for n in needs] == [("presale",), ("spot",)]


def test_a_presale_bundle_line_draws_its_components_from_presale() -> None:
    needs = needs_for([LineDemand(1, GIFT_SET, 1, True)], GIFT_SET_PARTS, ["presale", "spot"])
    assert [(n.sku_id, n.quantity, n.pools) for n in needs] == [(TEE, 1, ("presale",)), (CAP, 2, ("presale",))]


def test_a_channel_that_does_not_sell_presale_has_no_pool_for_a_presale_line() -> None:
    """Invariant 4: a channel sells only from the pools its policy names."""
    assert needs_for([LineDemand(1, TEE, 1, True)], {}, ["spot"]) == [Need(TEE, 1, (), 1)]

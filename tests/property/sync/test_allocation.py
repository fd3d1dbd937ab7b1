"""Allocation among listings: never promise more than exists, never more than a policy allows."""

import math

from hypothesis import given
from hypothesis import strategies as st

from flexhub.sync.allocation import HoldBack, Policy, allocate, poisson_quantile, rebalance

policies = st.builds(
    Policy,
    mode=st.sampled_from(["shared", "quota", "percentage"]),
    quota=st.integers(0, 500),
    percentage=st.floats(0, 100, allow_nan=False),
    priority=st.integers(0, 5),
    buffer=st.integers(0, 20),
    cap=st.none() | st.integers(0, 500),
)


@given(available=st.integers(-10, 2000), listing_policies=st.dictionaries(st.text(min_size=1, max_size=4), policies,
                                                                           max_size=8))
def test_promised_never_exceeds_what_exists(available, listing_policies):
    shown = allocate(available, listing_policies)
    assert set(shown) == set(listing_policies)
    carved = sum(units for key, units in shown.items() if listing_policies[key].mode != "shared")
    shared = max((units for key, units in shown.items() if listing_policies[key].mode == "shared"), default=0)
    assert all(units >= 0 for units in shown.values())
    assert carved + shared <= max(0, available)


@given(available=st.integers(0, 2000), listing_policies=st.dictionaries(st.text(min_size=1, max_size=4), policies,
                                                                         max_size=8))
def test_no_listing_gets_more_than_its_policy(available, listing_policies):
    shown = allocate(available, listing_policies)
    for key, policy in listing_policies.items():
        if policy.cap is not None:
            assert shown[key] <= policy.cap
        if policy.mode == "quota":
            assert shown[key] <= policy.quota
        if policy.mode == "percentage":
            assert shown[key] <= available * policy.percentage / 100
        assert shown[key] <= max(0, available - policy.buffer)


def test_carve_outs_go_by_priority_and_shared_listings_share_the_rest():
    shown = allocate(100, {
        "live-room": Policy(mode="quota", quota=60, priority=1),
        "tmall": Policy(mode="percentage", percentage=50, priority=2),
        "web": Policy(mode="shared", buffer=5),
        "jd": Policy(mode="shared", cap=10),
    })
    assert shown == {"live-room": 60, "tmall": 40, "web": 0, "jd": 0}
    assert allocate(100, {"live-room": Policy(mode="quota", quota=30), "web": Policy(buffer=5)}) == {
        "live-room": 30, "web": 65}


@given(available=st.integers(-10, 2000), data=st.data(),
       listing_policies=st.dictionaries(st.text(min_size=1, max_size=4), policies, max_size=8))
def test_holding_back_never_promises_more_than_exists_nor_touches_a_carve_out(available, data, listing_policies):
    held = data.draw(st.fixed_dictionaries({key: st.integers(0, 500) for key in listing_policies}))
    shown = allocate(available, listing_policies, held)
    plain = allocate(available, listing_policies)
    carved = sum(units for key, units in shown.items() if listing_policies[key].mode != "shared")
    shared = max((units for key, units in shown.items() if listing_policies[key].mode == "shared"), default=0)
    assert set(shown) == set(listing_policies) and all(isinstance(units, int) and units >= 0
                                                       for units in shown.values())
    assert carved + shared <= max(0, available)
    for key, policy in listing_policies.items():
        if policy.mode != "shared":
            assert shown[key] == plain[key]  # a carve-out keeps its own
        else:
            assert shown[key] <= plain[key]  # holding back never shows more


@given(available=st.integers(0, 2000), data=st.data(),
       stores=st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=8, unique=True))
def test_a_store_holds_back_what_its_round_asks_except_the_least_holding_which_holds_only_what_others_show(
        available, data, stores):
    held = {store: data.draw(st.integers(0, 300)) for store in stores}
    shown = allocate(available, dict.fromkeys(stores, Policy()), held)
    least = min(sorted(stores), key=held.__getitem__)
    for store in stores:
        if store != least:
            assert shown[store] == max(0, available - held[store])
    others = sum(shown[store] for store in stores if store != least)
    assert shown[least] == available - min(held[least], others)
    assert max(shown.values()) == available or others > 0  # the last units are shown somewhere


@given(per_second=st.floats(0, 50, allow_nan=False), round_s=st.floats(0, 120, allow_nan=False),
       quantile=st.floats(0.5, 0.999), longer=st.floats(0, 60, allow_nan=False))
def test_a_longer_round_or_a_faster_pace_never_holds_back_less(per_second, round_s, quantile, longer):
    hold = HoldBack(quantile=quantile)
    units = hold.units(Policy(), per_second, round_s)
    assert hold.units(Policy(), per_second, round_s + longer) >= units
    assert hold.units(Policy(), per_second * 1.5, round_s) >= units
    assert units == 0 if per_second * round_s == 0 else units >= 0


@given(mean=st.floats(0.001, 400, allow_nan=False), quantile=st.floats(0.5, 0.999))
def test_the_quantile_is_the_fewest_units_whose_chance_reaches_it(mean, quantile):
    units = poisson_quantile(mean, quantile)
    below = sum(math.exp(n * math.log(mean) - mean - math.lgamma(n + 1)) for n in range(units))
    at = below + math.exp(units * math.log(mean) - mean - math.lgamma(units + 1))
    assert at >= quantile - 1e-9 and below < quantile + 1e-9


quota_sets = st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 500), min_size=2, max_size=6)


@given(quotas=quota_sets, data=st.data())
def test_rebalancing_keeps_the_total_and_never_goes_negative(quotas, data):
    sold = data.draw(st.fixed_dictionaries({key: st.integers(0, 300) for key in quotas}))
    moved = rebalance(quotas, sold)
    assert set(moved) == set(quotas) and sum(moved.values()) == sum(quotas.values())
    assert all(units >= 0 for units in moved.values())
    if not any(sold.values()):
        assert moved == quotas  # nothing sold, nothing moves


@given(quota=st.integers(1, 500), holders=st.integers(2, 6), data=st.data())
def test_from_equal_quotas_a_holder_that_sold_more_never_ends_with_less(quota, holders, data):
    keys = [f"room-{n}" for n in range(holders)]
    sold = {key: data.draw(st.integers(0, 300)) for key in keys}
    moved = rebalance(dict.fromkeys(keys, quota), sold)
    for a in keys:
        for b in keys:
            if sold[a] > sold[b]:
                assert moved[a] >= moved[b]

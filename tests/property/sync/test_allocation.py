"""Allocation among listings: never promise more than exists, never more than a policy allows."""

from hypothesis import given
from hypothesis import strategies as st

from flexhub.sync.allocation import Policy, allocate, rebalance

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


@given(available=st.integers(-10, 2000), held_back=st.integers(0, 500),
       listing_policies=st.dictionaries(st.text(min_size=1, max_size=4), policies, max_size=8))
def test_in_a_spike_the_shared_listings_split_what_is_left_after_holding_back(available, held_back,
                                                                            listing_policies):
    shown = allocate(available, listing_policies, held_back)
    carved = sum(units for key, units in shown.items() if listing_policies[key].mode != "shared")
    shared = sum(units for key, units in shown.items() if listing_policies[key].mode == "shared")
    assert all(units >= 0 for units in shown.values())
    assert carved + shared + min(held_back, max(0, available) - carved) <= max(0, available)
    assert {k: v for k, v in shown.items() if listing_policies[k].mode != "shared"} == {
        k: v for k, v in allocate(available, listing_policies).items() if listing_policies[k].mode != "shared"}


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


@given(available=st.integers(-10, 2000), held_back=st.integers(0, 500), data=st.data(),
       listing_policies=st.dictionaries(st.text(min_size=1, max_size=4), policies, max_size=8))
def test_a_spike_split_by_sales_never_promises_more_than_exists(available, held_back, data, listing_policies):
    sold = data.draw(st.fixed_dictionaries({key: st.floats(0, 500, allow_nan=False) for key in listing_policies}))
    shown = allocate(available, listing_policies, held_back, sold)
    assert set(shown) == set(listing_policies) and all(units >= 0 for units in shown.values())
    assert sum(shown.values()) <= max(0, available)


@given(available=st.integers(0, 2000), held_back=st.integers(0, 500), data=st.data(),
       stores=st.lists(st.text(min_size=1, max_size=4), min_size=2, max_size=8, unique=True))
def test_in_a_spike_a_store_selling_faster_never_shows_less(available, held_back, data, stores):
    sold = {store: data.draw(st.integers(0, 300)) for store in stores}
    shown = allocate(available, {store: Policy() for store in stores}, held_back, sold)
    assert sum(shown.values()) == max(0, available - held_back)  # all of the rest is shown, no more
    for fast in stores:
        for slow in stores:
            if sold[fast] > sold[slow]:
                assert shown[fast] >= shown[slow]

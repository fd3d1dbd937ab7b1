"""Order-level amounts shared over lines add up exactly, by value, largest remainders first."""

from hypothesis import given
from hypothesis import strategies as st

from flexhub.finance.profit import share


def test_a_share_by_value_gives_the_leftover_unit_to_the_largest_remainder() -> None:
    assert share(600, [9900, 2700]) == [471, 129]
    assert share(1500, [9900, 2700]) == [1179, 321]
    assert share(-1500, [9900, 2700]) == [-1179, -321]
    assert share(10, [0, 0, 0]) == [4, 3, 3]  # no value: equal parts
    assert share(7, []) == []


@given(st.integers(-10**9, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_shares_add_up_and_follow_the_weights(amount: int, weights: list[int]) -> None:
    parts = share(amount, weights)

    assert sum(parts) == amount
    if any(weights):
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - amount * weight / sum(weights)) < 1

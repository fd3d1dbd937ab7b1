"""Order-level amounts shared over lines add up exactly, by value, largest remainders first — in the oracle's
Python and in the DuckDB SQL profit runs, alike."""

from hypothesis import given, settings
from hypothesis import strategies as st

from flexhub.finance.profit_facts import shares
from flexhub.testing.profit_oracle import share


def test_a_share_by_value_gives_the_leftover_unit_to_the_largest_remainder() -> None:
    cases = [(600, [9900, 2700]), (1500, [9900, 2700]), (-1500, [9900, 2700]), (10, [0, 0, 0]), (7, [])]
    expected = [[471, 129], [1179, 321], [-1179, -321], [4, 3, 3], []]  # no value: equal parts

    assert [share(amount, weights) for amount, weights in cases] == expected
    assert shares(cases) == expected


@given(st.integers(-10**9, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_shares_add_up_and_follow_the_weights(amount: int, weights: list[int]) -> None:
    parts = share(amount, weights)

    assert sum(parts) == amount
    if any(weights):
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - amount * weight / sum(weights)) < 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=8)),
                min_size=1, max_size=10))
def test_duckdb_shares_as_the_oracle_does(amounts: list[tuple[int, list[int]]]) -> None:
    assert shares(amounts) == [share(amount, weights) for amount, weights in amounts]

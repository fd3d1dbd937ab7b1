"""The curve resellers share: every seller's orders per minute, a minute shown only when two or more sellers besides
the viewer sold in it, so that no seller's own figure can be read by taking one's own away."""

from hypothesis import given
from hypothesis import strategies as st

from flexhub.ordering.shared_trend import MIN_OTHERS, shared_per_minute

MINUTES = 4
SELLERS = ["brand", "res1", "res2", "res3"]


def test_a_minute_is_the_sum_of_all_sellers_when_two_others_sold_in_it() -> None:
    per_seller = {"brand": [3, 3, 0, 0], "res1": [1, 1, 1, 0], "res2": [2, 0, 4, 0], "res3": [0, 0, 5, 0]}

    assert shared_per_minute(per_seller, "res1", MINUTES) == [6, None, 10, None]


def test_the_viewers_own_orders_never_make_a_minute_shareable() -> None:
    per_seller = {"res1": [9, 9, 9, 9], "res2": [1, 1, 1, 1]}

    assert shared_per_minute(per_seller, "res1", MINUTES) == [None] * MINUTES


curves = st.dictionaries(st.sampled_from(SELLERS), st.lists(st.integers(0, 5), min_size=MINUTES, max_size=MINUTES))


@given(per_seller=curves, viewer=st.sampled_from(SELLERS))
def test_no_shown_minute_leaves_one_other_seller_after_taking_ones_own_away(per_seller: dict, viewer: str) -> None:
    shared = shared_per_minute(per_seller, viewer, MINUTES)

    for minute, total in enumerate(shared):
        sold = {seller for seller, series in per_seller.items() if series[minute]}
        if total is None:
            assert len(sold - {viewer}) < MIN_OTHERS
        else:
            assert len(sold - {viewer}) >= MIN_OTHERS
            assert total == sum(series[minute] for series in per_seller.values())

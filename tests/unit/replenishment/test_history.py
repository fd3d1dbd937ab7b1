"""What the forecasts read of a demand history: net demand from the first sale on, censored days unknown — unless
a series has no day observed at all, when the days it sold on count as the least it would have sold."""

import uuid
from datetime import date

import numpy as np

from flexhub.replenishment.history import DemandHistory

NAN = float("nan")


def history(sold: list[list[int]], censored: list[list[bool]]) -> DemandHistory:
    units = np.array(sold, dtype=float)
    keys = [(uuid.uuid4(), uuid.uuid4()) for _ in sold]
    return DemandHistory(date(2026, 11, 1), keys, units, np.zeros_like(units), np.array(censored))


def test_censored_days_are_unknown_where_other_days_were_seen() -> None:
    found = history([[0, 2, 2, 0, 1, 0]], [[False, False, True, False, False, False]]).demand()

    np.testing.assert_array_equal(found, [[NAN, 2, NAN, 0, 1, 0]])


def test_a_series_that_sold_out_every_day_it_sold_keeps_what_it_sold() -> None:
    sold_out = history([[0, 3, 0, 0, 5, 0]], [[False, True, True, True, True, True]]).demand()
    never_sold = history([[0, 0, 0]], [[True, True, True]]).demand()

    np.testing.assert_array_equal(sold_out, [[NAN, 3, NAN, NAN, 5, NAN]])
    assert np.isnan(never_sold).all()

"""The SKU × node forecast shared among channels (channel_split.py): the parts always sum to the node's forecast."""

import uuid
from datetime import date

import numpy as np
import pytest

from flexhub.planning import EventEffect
from flexhub.replenishment import channel_split
from flexhub.replenishment.history import DemandHistory

TEE, CAP, NODE, WEB, LIVE = (uuid.uuid4() for _ in range(5))
START = date(2026, 11, 1)


def history() -> DemandHistory:
    """The tee sold 4 a day: 2 through web, 1 through live, 1 named by no channel; the cap 1 a day through web."""
    sold = np.array([[4.0] * 30, [1.0] * 30])
    zero = np.zeros_like(sold)
    by_channel = {(TEE, NODE, WEB): np.full(30, 2.0), (TEE, NODE, LIVE): np.full(30, 1.0),
                  (CAP, NODE, WEB): np.full(30, 1.0)}
    return DemandHistory(START, [(TEE, NODE), (CAP, NODE)], sold, zero, zero.astype(bool), by_channel)


def test_channels_share_the_node_by_their_sales_and_sum_to_it():
    found = channel_split.split(history(), 0, np.full(7, 8.0), [], date(2026, 12, 1))
    assert {k: v[0] for k, v in found.items()} == pytest.approx({WEB: 4.0, LIVE: 2.0, None: 2.0})
    assert channel_split.split(history(), 1, np.full(7, 1.0), [], date(2026, 12, 1)) == {WEB: pytest.approx([1.0] * 7)}


def test_an_events_channels_take_more_of_its_days_and_the_parts_still_sum():
    """A live room at 3× on days 2–3 and a campaign at 2× on every channel on day 3: whatever the node's forecast
    those days (the model's, with its own multipliers), the parts add up to it and the live room's share grows."""
    first = date(2026, 12, 1)
    events = [EventEffect(date(2026, 12, 3), date(2026, 12, 4), frozenset({TEE}), frozenset({LIVE}), 3.0),
              EventEffect(date(2026, 12, 4), date(2026, 12, 4), frozenset({TEE}), frozenset(), 2.0)]
    daily = np.array([8.0, 8.0, 12.0, 24.0, 8.0])
    found = channel_split.split(history(), 0, daily, events, first)
    assert np.allclose(sum(found.values()), daily)
    assert found[LIVE][2] / daily[2] == pytest.approx(3 / 6)  # web 2, live 1 × 3, none 1
    assert found[WEB][0] / daily[0] == pytest.approx(0.5)
    other = channel_split.split(history(), 1, np.ones(5), events, first)  # the cap is in neither event
    assert np.allclose(other[WEB], 1.0)

"""Holding back ahead of a sale announced with its times (sync/announced.py): a listing at a slow channel holds back
at the sale's pace from its lead before the start (its round twice and a margin), not before, and stops at the end;
its SKUs are planned again as each channel's hold begins and as the sale ends."""

import uuid
from datetime import UTC, datetime, timedelta

from flexhub.planning import TimedEvent
from flexhub.sync.allocation import MAX_LEAD_S, HoldBack, Policy
from flexhub.sync.announced import ANY_OTHER, announced_pace, holding_channels, sale_pace

HOLD = HoldBack(quantile=0.99, lead_rounds=2.0, lead_s=15.0)
START = datetime(2026, 12, 12, 12, 0, tzinfo=UTC)
TEE, CAP = uuid.uuid4(), uuid.uuid4()
WECHAT_ROUND = 22.2


def sale(units_per_sku: int | None = 25, seconds: float = 90.0, skus: frozenset = frozenset({TEE})) -> TimedEvent:
    return TimedEvent(uuid.uuid4(), uuid.uuid4(), "12.12 live", START, START + timedelta(seconds=seconds), skus,
                      units_per_sku)


def held(at: datetime, round_s: float = WECHAT_ROUND, measured: float = 0.0, units: int = 22) -> int:
    pace, _ = announced_pace([sale()], TEE, units, at, round_s, HOLD)
    return HOLD.units(Policy(), max(measured, pace), round_s)


def test_the_lead_is_the_channels_round_twice_and_a_margin_bounded():
    assert HOLD.lead(WECHAT_ROUND) == 2 * WECHAT_ROUND + 15
    assert HOLD.lead(0.0) == 15.0  # a store told at once still begins a little ahead
    assert HOLD.lead(10_000.0) == MAX_LEAD_S


def test_a_slow_store_holds_back_from_its_lead_before_the_start_and_not_before_it():
    lead = timedelta(seconds=HOLD.lead(WECHAT_ROUND))  # 59.4 s
    # 25 units a SKU over 90 s: 0.28 a second, 6.2 in WeChat's 22.2 s round on average, 13 in 99 rounds of 100
    assert held(START - lead - timedelta(seconds=1)) == 0
    assert held(START - lead) == 13
    assert held(START) == 13
    assert held(START - lead, round_s=0.02) == 0  # a store told at once holds back next to nothing, ahead or not


def test_after_the_end_only_the_measured_pace_holds_back():
    end = START + timedelta(seconds=90)
    assert held(end - timedelta(seconds=1)) == 13
    assert held(end) == 0
    assert held(end, measured=0.1) == HOLD.units(Policy(), 0.1, WECHAT_ROUND) == 6
    assert held(START, measured=1.0) == HOLD.units(Policy(), 1.0, WECHAT_ROUND)  # a faster sale than announced


def test_the_pace_is_the_units_announced_or_what_the_sku_has_over_the_sales_seconds():
    assert sale_pace(sale(units_per_sku=45), units=22) == 0.5
    assert sale_pace(sale(units_per_sku=None), units=45) == 0.5  # the sale means to sell what it has
    # only the SKUs it names; of two sales, the faster
    assert announced_pace([sale()], CAP, 22, START, WECHAT_ROUND, HOLD) == (0.0, None)
    quick = sale(units_per_sku=90)
    pace, named = announced_pace([sale(), quick], TEE, 22, START, WECHAT_ROUND, HOLD)
    assert (pace, named) == (1.0, quick)


def test_the_channels_holding_change_as_each_ones_lead_begins_and_at_the_end():
    wechat, amazon = uuid.uuid4(), uuid.uuid4()
    rounds = {wechat: WECHAT_ROUND, amazon: 44.4}
    flash = sale()

    def at(seconds: float) -> frozenset:
        return holding_channels(flash, START + timedelta(seconds=seconds), rounds, HOLD)

    assert at(-200) == frozenset()
    assert at(-HOLD.lead(44.4)) == {amazon}
    assert at(-HOLD.lead(WECHAT_ROUND)) == {amazon, wechat}
    assert at(-15) == {amazon, wechat, ANY_OTHER}  # a channel with no round: the margin alone
    assert at(89.9) == {amazon, wechat, ANY_OTHER}
    assert at(90) == frozenset()

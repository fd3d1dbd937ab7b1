"""The learned model kept and reloaded, its quantiles (conformal) on a generated panel, and China's calendar as its
features. LightGBM comes with the dev extra (make venv): under CI these fail rather than skip."""

import os
from datetime import date, timedelta

import numpy as np
import pytest

from flexhub.replenishment.forecasting import calendar_cn, conformal
from flexhub.replenishment.forecasting.demand import Demand

if os.environ.get("CI") != "true":
    pytest.importorskip("lightgbm")

from flexhub.replenishment.forecasting import learned  # noqa: E402

WEEK = np.array([1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 1.4])


def panel(n: int, days: int, seed: int, first: date = date(2024, 1, 1)) -> tuple[np.ndarray, np.ndarray]:
    """Negative-binomial daily demand (overdispersed, many slow series) with a weekday shape: (rates, sales)."""
    rng = np.random.default_rng(seed)
    level = rng.lognormal(0.3, 1.0, n)
    weekday = np.array([(first + timedelta(days=d)).weekday() for d in range(days)])
    rate = level[:, None] * WEEK[weekday][None, :]
    shape = 2.0
    sales = rng.poisson(rng.gamma(shape, rate / shape)).astype(float)
    return rate, sales


def demand_of(sales: np.ndarray, first: date, signals: np.ndarray | None = None) -> Demand:
    n = len(sales)
    groups = np.array([f"node/{i % 3}" for i in range(n)])
    return Demand(sales, first.weekday(), groups, np.array(["node"] * n), signals=signals)


def test_a_kept_model_forecasts_as_the_trained_one_and_reads_new_groups_as_missing():
    first = date(2024, 1, 1)
    _, sales = panel(120, 200, seed=3, first=first)
    demand = demand_of(sales, first)
    trained = learned.train(demand, 28)
    assert trained is not None
    again = learned.loads(learned.dumps(trained))
    assert np.allclose(learned.predict(again, demand, 28), learned.predict(trained, demand, 28))
    renamed = Demand(demand.history, demand.first_weekday, np.array(["elsewhere"] * 120), demand.parents)
    assert np.isfinite(learned.predict(again, renamed, 14)).all()
    with pytest.raises(ValueError):
        learned.predict(again, demand, 29)
    assert learned.train(demand_of(sales[:, :100], first), 28) is None  # 100 days < 112


def test_conformal_quantiles_cover_the_next_interval_at_the_service_level():
    """600 series, the model trained with 56 days held out; the quantiles of the next 14 days are calibrated on those
    56 days. On the 14 days after the history, the actual demand is within them for about the asked share."""
    first, days, span = date(2024, 1, 1), 252, 14
    _, sales = panel(600, days + span, seed=23, first=first)
    demand = demand_of(sales[:, :days], first)
    trained = learned.train(demand, 28, holdout=56)
    assert trained is not None and trained.holdout == 56

    def forecaster(d: Demand, h: int) -> np.ndarray:
        return learned.predict(trained, d, h)

    ahead = forecaster(demand, span).sum(axis=1)
    actual = sales[:, days:].sum(axis=1)
    held = {}
    for service in (0.8, 0.95):
        found = conformal.quantiles(demand, forecaster, ahead, span=span, service=service, unseen_from=days - 56)
        assert found is not None and found.calibration_origins == 7  # origins 196 … 238, weekly
        assert (actual <= found.levels).mean() == pytest.approx(service, abs=0.04)
        assert found.safety.sum() > 0
        held[service] = found.levels
    assert (held[0.95] >= held[0.8]).all() and held[0.95].sum() > held[0.8].sum()


def test_no_calibration_without_unseen_days():
    assert conformal.calibration_starts(200, 14, 190) == []
    assert conformal.calibration_starts(200, 14, 172) == [172, 179, 186]


def test_china_calendar_marks_the_spring_festival_golden_week_and_shopping_days():
    days = calendar_cn.features(date(2026, 2, 14), 11)
    assert days[0].tolist() == [0, 0, 22, -1]  # 2 月 14 日 a working Saturday, the eve of the days off
    assert (days[1:10, 0] == 2).all() and days[10, 0] == 0  # 15–23 February off
    assert calendar_cn.features(date(2025, 10, 1), 8)[:, 0].tolist() == [3] * 8  # 国庆·中秋 2025: 8 days
    double_11 = calendar_cn.features(date(2026, 11, 8), 5)
    assert double_11[:, 1].tolist() == [0, 0, 0, 1, 0] and double_11[:, 2].tolist() == [3, 2, 1, 0, 30]
    later = calendar_cn.features(date(2030, 9, 30), 5)[:, 0]  # no notice for 2030: the statutory fixed days only
    assert later.tolist() == [0, 3, 3, 3, 0]
    assert {2023, 2024, 2025, 2026} <= calendar_cn.recorded_years()


def test_the_learned_model_expects_a_shopping_festival_from_the_calendar():
    """Past shopping days (双12, 38, 618 within the year it learns from) sold four times the usual: Double 11 ahead is
    forecast well above an ordinary day, the ordinary days stay at their level."""
    first, origin, horizon = date(2024, 6, 1), date(2025, 10, 30), 28
    days = (origin - first).days
    rate, sales = panel(150, days + horizon, seed=5, first=first)
    calendar = calendar_cn.signals(first, days + horizon, 150)
    boost = np.where(calendar[0, :, 1] == 1, 4.0, 1.0)
    sales = np.random.default_rng(6).poisson(rate * boost[None, :]).astype(float)
    demand = demand_of(sales[:, :days], first, calendar)

    forecast = learned.forecast(demand, horizon)

    eleven = (date(2025, 11, 11) - origin).days
    ordinary = np.r_[0:eleven - 1, eleven + 2:horizon]
    assert forecast[:, eleven].sum() > 2.5 * forecast[:, ordinary].mean(axis=1).sum()
    assert forecast[:, ordinary].sum() == pytest.approx((rate * boost)[:, days:][:, ordinary].sum(), rel=0.12)


def test_the_plans_forecast_once_per_model_and_history_and_afresh_when_either_changes(monkeypatch):
    """learned_plan keeps the model's forecast from an origin: each plan of a day (alerts, pages, portal) asks the
    same. What it answers equals the forecast made afresh, for every number of days asked."""
    from flexhub.replenishment import learned_plan

    first = date(2024, 1, 1)
    _, sales = panel(60, 200, seed=5, first=first)
    demand = demand_of(sales, first)
    trained = learned.train(learned_plan.with_calendar(demand, first, 28), 28)
    assert trained is not None
    calls = []
    predict = learned.predict
    monkeypatch.setattr(learned, "predict", lambda *args: calls.append(args[2]) or predict(*args))
    choice = learned_plan.Choice(learned.METHOD, None, trained, 0, learned_plan.uuid.uuid4())

    fresh = learned.predict_blended(trained, learned_plan.with_calendar(demand, first, 28), 10)
    kept = [learned_plan.forecast(choice, demand, first, days) for days in (10, 28, 10)]

    assert calls == [10, 28]  # fresh's own call, then the plans' one of the whole horizon
    assert np.allclose(kept[0], fresh) and np.allclose(kept[2], kept[0]) and kept[1].shape == (60, 28)
    changed = Demand(np.where(np.arange(200) == 199, sales + 1, sales), demand.first_weekday, demand.groups,
                     demand.parents)
    learned_plan.forecast(choice, changed, first, 10)
    learned_plan.forecast(learned_plan.Choice(learned.METHOD, None, trained, 0, learned_plan.uuid.uuid4()), demand,
                          first, 10)
    assert calls == [10, 28, 28, 28]

"""A learned global forecast (the optional `forecast` extra: LightGBM): one gradient-boosted model for every series,
trained on the panel's own last twelve 28-day origins, each row a series, an origin and a day ahead.

Features, all known at the origin, levels scaled by the series' recent level:
- the series: its means of the last 7, 28, 56 and 112 days (56 as the scale, and its log as the volume), the same
  weekday a week before and its mean over four weeks, the share of days without a sale, days since the last sale,
  and the season a year before (the week around each target day a year earlier ÷ the 56 days before that origin);
- the hierarchy: its group (a category at a node) and parent (the node) as categories, the group's weekday profile
  and its recent momentum (the last 7 days' mean ÷ the last 56 days');
- the calendar: the target's weekday and distance;
- what is known ahead (`Demand.prices`, `Demand.signals`): the target day's price ÷ the series' usual price of the
  last 28 days and ÷ its highest of the year, and each signal on the target day (a holiday, a campaign's uplift,
  a benefit day).
The target is the day's units ÷ the scale, weighted by the scale; the objective is Tweedie (many zero days, a long
right tail). The numpy core (model.py) stays the default and the fallback for short histories.

Direct multi-horizon: the day ahead is a feature, so one model forecasts all days from one origin."""

from typing import Any

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.profiles import WEEKDAYS, group_totals, weekday_profile

METHOD = "lightgbm_global"
HINT = "LightGBM comes with the forecast extra: pip install 'flexhub[forecast]'"
TRAIN_ORIGINS = 12  # past origins the model learns from, `horizon` days apart
MIN_DAYS = 56 + 28  # history below this: the numpy core forecasts
PARAMS: dict[str, Any] = {"objective": "tweedie", "tweedie_variance_power": 1.1, "learning_rate": 0.05,
                          "num_leaves": 63, "min_data_in_leaf": 100, "feature_fraction": 0.8, "bagging_fraction": 0.8,
                          "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1, "num_threads": 1, "seed": 19}
ROUNDS = 300
YEAR = 364  # days: the same weekday a year before
CATEGORICAL = [5, 8, 9]  # weekday, group, parent


def forecast(demand: Demand, horizon: int = 28) -> np.ndarray:
    """(series, horizon) expected units per day."""
    fitted = _fit(demand, horizon, PARAMS)
    if fitted is None:
        from flexhub.replenishment.forecasting import model
        return model.forecast(demand, horizon)
    booster, features, scale = fitted
    return np.maximum(booster.predict(features), 0.0).reshape(-1, horizon) * scale[:, None]


def _fit(demand: Demand, horizon: int, params: dict[str, Any]) -> tuple[Any, np.ndarray, np.ndarray] | None:
    """The model trained on the past origins, the features at the last day and the series' scales; None when the
    history is too short to learn from."""
    try:
        import lightgbm
    except ImportError as missing:
        raise RuntimeError(HINT) from missing
    history = demand.history
    days = history.shape[1]
    if days < MIN_DAYS + horizon:
        return None
    codes = _codes(demand)
    origins = [days - horizon * k for k in range(TRAIN_ORIGINS, 0, -1) if days - horizon * k >= MIN_DAYS]
    rows, targets, weights = [], [], []
    for origin in origins:
        features, scale = _features(demand, origin, horizon, codes)
        target = history[:, origin:origin + horizon] / np.where(scale > 0, scale, 1.0)[:, None]
        seen = np.isfinite(target) & (scale[:, None] > 0)
        rows.append(features[seen.ravel()])
        targets.append(target[seen])
        weights.append(np.broadcast_to(scale[:, None], target.shape)[seen])
    data = lightgbm.Dataset(np.vstack(rows), np.concatenate(targets), weight=np.concatenate(weights),
                            categorical_feature=CATEGORICAL, free_raw_data=True)
    booster = lightgbm.train(params, data, num_boost_round=ROUNDS)
    features, scale = _features(demand, days, horizon, codes)
    return booster, features, scale


def _codes(demand: Demand) -> tuple[np.ndarray, np.ndarray]:
    return np.unique(demand.groups, return_inverse=True)[1], np.unique(demand.parents, return_inverse=True)[1]


def _features(demand: Demand, origin: int, horizon: int,
              codes: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(series × horizon, features) at `origin`, and each series' scale (its mean of the last 56 observed days)."""
    past = demand.history[:, :origin]
    n = past.shape[0]
    scale = _mean(past, 56)
    safe = np.where(scale > 0, scale, 1.0)
    mean7, mean28 = _mean(past, 7) / safe, _mean(past, 28) / safe
    recent = past[:, -28:]
    zeros = (recent == 0).sum(axis=1) / np.maximum(np.isfinite(recent).sum(axis=1), 1)
    sold = np.nan_to_num(past[:, -91:]) > 0
    since_sale = np.where(sold.any(axis=1), np.argmax(sold[:, ::-1], axis=1), sold.shape[1]).astype(float)
    weekdays = (demand.first_weekday + origin + np.arange(horizon)) % WEEKDAYS
    index, totals = group_totals(past, demand.groups)
    profile = weekday_profile(totals, (demand.first_weekday + np.arange(origin)) % WEEKDAYS, 56)[index]
    with np.errstate(invalid="ignore", divide="ignore"):
        momentum = totals[:, -7:].mean(axis=1) / totals[:, -56:].mean(axis=1)
    momentum = np.where(np.isfinite(momentum), momentum, 1.0)[index]
    ahead = np.arange(horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        year_ago = _year_ago(past, origin, horizon, scale)
    week_before = origin - WEEKDAYS + ahead % WEEKDAYS
    same_day = np.nan_to_num(past[:, week_before]) / safe[:, None]
    weeks = np.stack([past[:, week_before - WEEKDAYS * k] for k in range(4)])
    four_weeks = np.nansum(weeks, axis=0) / np.maximum(np.isfinite(weeks).sum(axis=0), 1) / safe[:, None]
    group, parent = codes

    def each(values: np.ndarray) -> np.ndarray:
        return np.broadcast_to(np.asarray(values, dtype=float)[:, None], (n, horizon))

    columns = [
        each(mean7), each(mean28), same_day, each(np.nan_to_num(zeros)),
        np.broadcast_to(ahead[None, :], (n, horizon)), np.broadcast_to(weekdays[None, :], (n, horizon)),
        profile[:, weekdays], each(np.log1p(scale)), each(group), each(parent),
        four_weeks, each(since_sale), each(momentum), each(_mean(past, 112) / safe), year_ago,
    ]
    targets = origin + ahead
    if demand.prices is not None:
        prices = demand.prices
        month, year = prices[:, max(origin - 28, 0):origin], prices[:, max(origin - 364, 0):origin]
        usual = np.where(np.isfinite(month).any(axis=1), _mean(month, 28), np.nan)
        highest = np.where(np.isfinite(year), year, -np.inf).max(axis=1, initial=-np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            columns += [prices[:, targets] / usual[:, None],
                        prices[:, targets] / np.where(np.isfinite(highest), highest, np.nan)[:, None]]
    if demand.signals is not None:
        signals = demand.signals[:, targets]
        columns += [signals[:, :, k] for k in range(signals.shape[2])]
    return np.stack([np.asarray(c, dtype=np.float32).ravel() for c in columns], axis=1), scale


def _year_ago(past: np.ndarray, origin: int, horizon: int, scale: np.ndarray) -> np.ndarray:
    """(series, horizon): a year before each target day, the week around it ÷ the 56 days before that origin: the
    season's shape (nan where the series was not seen a year before)."""
    n = past.shape[0]
    then = origin - YEAR
    if then - 56 < 0:
        return np.full((n, horizon), np.nan)
    before = _mean(past[:, :then], 56)
    days = then + np.arange(horizon)
    window = np.stack([past[:, np.clip(days + k, 0, origin - 1)] for k in range(-3, 4)])
    seen = np.isfinite(window).sum(axis=0)
    around = np.nansum(window, axis=0) / np.maximum(seen, 1)
    return np.where((seen > 0) & (before[:, None] > 0), around / np.where(before > 0, before, 1.0)[:, None], np.nan)


def _mean(history: np.ndarray, window: int) -> np.ndarray:
    recent = history[:, -window:]
    seen = np.isfinite(recent).sum(axis=1)
    return np.where(seen > 0, np.nansum(recent, axis=1) / np.maximum(seen, 1), 0.0)

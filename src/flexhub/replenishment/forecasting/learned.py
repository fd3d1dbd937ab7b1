"""A learned global forecast (the optional `forecast` extra: LightGBM): one gradient-boosted model for every series,
trained on the panel's own past origins, each row a series, an origin and a day ahead. Features, all known at the
origin and scaled by the series' recent level: the means of the last 7, 28 and 56 days, the same weekday a week
before the target, the share of days without a sale, the target's weekday and distance, the group's weekday profile
(a category at a node) and the series' volume. The numpy core (model.py) stays the default and the fallback.

Direct multi-horizon: the day ahead is a feature, so one model forecasts all 28 days from one origin."""

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.profiles import WEEKDAYS, group_totals, weekday_profile

METHOD = "lightgbm_global"
HINT = "LightGBM comes with the forecast extra: pip install 'flexhub[forecast]'"
TRAIN_ORIGINS = 8  # past origins the model learns from, `horizon` days apart
MIN_DAYS = 56 + 28  # history below this: the numpy core forecasts
PARAMS = {"objective": "regression", "learning_rate": 0.05, "num_leaves": 63, "min_data_in_leaf": 100,
          "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1,
          "num_threads": 2, "seed": 19}
ROUNDS = 300


def forecast(demand: Demand, horizon: int = 28) -> np.ndarray:
    try:
        import lightgbm
    except ImportError as missing:
        raise RuntimeError(HINT) from missing
    history = demand.history
    days = history.shape[1]
    if days < MIN_DAYS + horizon:
        from flexhub.replenishment.forecasting import model
        return model.forecast(demand, horizon)
    origins = [days - horizon * k for k in range(TRAIN_ORIGINS, 0, -1) if days - horizon * k >= MIN_DAYS]
    rows, targets, weights = [], [], []
    for origin in origins:
        features, scale = _features(demand, origin, horizon)
        target = history[:, origin:origin + horizon] / np.where(scale > 0, scale, 1.0)[:, None]
        seen = np.isfinite(target) & (scale[:, None] > 0)
        rows.append(features[seen.ravel()])
        targets.append(target[seen])
        weights.append(np.broadcast_to(scale[:, None], target.shape)[seen])
    data = lightgbm.Dataset(np.vstack(rows), np.concatenate(targets), weight=np.concatenate(weights),
                            categorical_feature=[5])
    booster = lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)
    features, scale = _features(demand, days, horizon)
    predicted = booster.predict(features).reshape(history.shape[0], horizon)
    return np.maximum(predicted, 0.0) * scale[:, None]


def _features(demand: Demand, origin: int, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """(series × horizon, features) at `origin`, and each series' scale (its mean of the last 56 observed days)."""
    past = demand.history[:, :origin]
    n = past.shape[0]
    scale = _mean(past, 56)
    safe = np.where(scale > 0, scale, 1.0)
    mean7, mean28 = _mean(past, 7) / safe, _mean(past, 28) / safe
    recent = past[:, -28:]
    zeros = (recent == 0).sum(axis=1) / np.maximum(np.isfinite(recent).sum(axis=1), 1)
    weekdays = (demand.first_weekday + origin + np.arange(horizon)) % WEEKDAYS
    index, totals = group_totals(past, demand.groups)
    profile = weekday_profile(totals, (demand.first_weekday + np.arange(origin)) % WEEKDAYS, 56)[index]
    ahead = np.arange(horizon)
    week_before = origin - WEEKDAYS + ahead % WEEKDAYS
    same_day = np.nan_to_num(past[:, week_before]) / safe[:, None]
    columns = [
        np.broadcast_to(mean7[:, None], (n, horizon)), np.broadcast_to(mean28[:, None], (n, horizon)),
        same_day, np.broadcast_to(np.nan_to_num(zeros)[:, None], (n, horizon)),
        np.broadcast_to(ahead[None, :], (n, horizon)), np.broadcast_to(weekdays[None, :], (n, horizon)),
        profile[:, weekdays], np.broadcast_to(np.log1p(scale)[:, None], (n, horizon)),
    ]
    return np.stack([np.asarray(c, dtype=float).ravel() for c in columns], axis=1), scale


def _mean(history: np.ndarray, window: int) -> np.ndarray:
    recent = history[:, -window:]
    seen = np.isfinite(recent).sum(axis=1)
    return np.where(seen > 0, np.nansum(recent, axis=1) / np.maximum(seen, 1), 0.0)

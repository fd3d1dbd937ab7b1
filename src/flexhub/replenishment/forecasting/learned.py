"""A learned global forecast (the optional `forecast` extra: LightGBM): one gradient-boosted model for every series,
trained on the panel's own last twelve 28-day origins, each row a series, an origin and a day ahead (the features:
learned_features.py). The target is the day's units ÷ the series' scale, weighted by the scale; the objective is
Tweedie (many zero days, a long right tail). Direct multi-horizon: the day ahead is a feature, so one model forecasts
all days from one origin. The forecast used is the model's with its level blended half and half with the numpy
core's (`blended`). The numpy core (model.py) stays the default and the fallback for short histories.

`train` returns the model with the names of the groups and parents it learned (their category codes), so a model
trained once can be kept (`dumps`/`loads`) and forecast later from a longer history (`predict`). Trained with a
`holdout`, the last days are left out of what it learns from: forecasts made from origins inside them are out of
sample, which is what the conformal quantiles (conformal.py) need."""

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.learned_features import CATEGORICAL, features

METHOD = "lightgbm_global"
HINT = "LightGBM comes with the forecast extra: pip install 'flexhub[forecast]'"
TRAIN_ORIGINS = 12  # past origins the model learns from, `horizon` days apart
MIN_DAYS = 56 + 28  # history below this before an origin: no row from it
PARAMS: dict[str, Any] = {"objective": "tweedie", "tweedie_variance_power": 1.1, "learning_rate": 0.05,
                          "num_leaves": 63, "min_data_in_leaf": 100, "feature_fraction": 0.8, "bagging_fraction": 0.8,
                          "bagging_freq": 1, "lambda_l2": 1.0, "verbose": -1, "num_threads": 1, "seed": 19}
ROUNDS = 300
BLEND = 0.5  # the model's weight in the forecast used; equal weights, not tuned on the benchmark's origins
SMALL_LEAF_SHARE = 400  # a leaf holds at least this share (1/400) of the rows, when under min_data_in_leaf


@dataclass(frozen=True)
class Trained:
    booster: Any  # lightgbm.Booster
    groups: dict[str, int]  # group name → its category code
    parents: dict[str, int]
    horizon: int
    days: int  # days of history it was trained from
    holdout: int  # of which the last ones it did not learn from


def available() -> str | None:
    """None when LightGBM can be imported, else why not."""
    try:
        import lightgbm  # noqa: F401
    except ImportError:
        return HINT
    return None


def min_history(horizon: int = 28, holdout: int = 0) -> int:
    """Days of history `train` needs."""
    return MIN_DAYS + horizon + holdout


def forecast(demand: Demand, horizon: int = 28) -> np.ndarray:
    """(series, horizon) expected units per day: trained on this history, then forecast from its end, blended."""
    return forecast_both(demand, horizon)[0]


def forecast_both(demand: Demand, horizon: int = 28) -> tuple[np.ndarray, np.ndarray]:
    """The blended forecast and the model's own (the numpy core's for both when the history is too short)."""
    from flexhub.replenishment.forecasting import model

    trained = train(demand, horizon)
    if trained is None:
        found = model.forecast(demand, horizon)
        return found, found
    own = predict(trained, demand, horizon)
    return blended(own, model.forecast(demand, horizon)), own


def blended(own: np.ndarray, core: np.ndarray) -> np.ndarray:
    """The model's days scaled per series so that their sum is BLEND the model's and the rest the numpy core's: the
    level half from each, the shape (the weekdays, the calendar's days) the model's. On M5 the model under-forecasts
    the rises the core follows, and the blend beats both (docs/planning.md, "Measured")."""
    total, usual = own.sum(axis=1), core.sum(axis=1)
    ratio = (BLEND * total + (1 - BLEND) * usual) / np.where(total > 0, total, 1.0)
    return np.where(total[:, None] > 0, own * ratio[:, None], (1 - BLEND) * core)


def predict_blended(trained: Trained, demand: Demand, horizon: int) -> np.ndarray:
    from flexhub.replenishment.forecasting import model

    return blended(predict(trained, demand, horizon), model.forecast(demand, horizon))


def train(demand: Demand, horizon: int = 28, *, holdout: int = 0,
          params: dict[str, Any] | None = None) -> Trained | None:
    """The model learned from origins `horizon` days apart, the last one `horizon + holdout` days before the end;
    None when the history is too short to learn from."""
    try:
        import lightgbm
    except ImportError as missing:
        raise RuntimeError(HINT) from missing
    history = demand.history
    days = history.shape[1]
    if days < min_history(horizon, holdout):
        return None
    names = _names(demand.groups), _names(demand.parents)
    codes = _codes(demand, *names)
    end = days - holdout
    origins = [end - horizon * k for k in range(TRAIN_ORIGINS, 0, -1) if end - horizon * k >= MIN_DAYS]
    rows, targets, weights = [], [], []
    for origin in origins:
        found, scale = features(demand, origin, horizon, codes)
        target = history[:, origin:origin + horizon] / np.where(scale > 0, scale, 1.0)[:, None]
        seen = np.isfinite(target) & (scale[:, None] > 0)
        rows.append(found[seen.ravel()])
        targets.append(target[seen])
        weights.append(np.broadcast_to(scale[:, None], target.shape)[seen])
    target = np.concatenate(targets)
    data = lightgbm.Dataset(np.vstack(rows), target, weight=np.concatenate(weights),
                            categorical_feature=CATEGORICAL, free_raw_data=True)
    chosen = dict(params or PARAMS)
    # a few series (a small brand): smaller leaves, or a day seen only a few times a year (Double 11) is never learned
    chosen["min_data_in_leaf"] = max(5, min(chosen["min_data_in_leaf"], len(target) // SMALL_LEAF_SHARE))
    booster = lightgbm.train(chosen, data, num_boost_round=ROUNDS)
    return Trained(booster, names[0], names[1], horizon, days, holdout)


def predict(trained: Trained, demand: Demand, horizon: int) -> np.ndarray:
    """(series, horizon) from the end of `demand`'s history, `horizon` at most the trained one. Groups and parents
    the model never saw are read as missing (it then goes by the series' own figures)."""
    if horizon > trained.horizon:
        raise ValueError(f"the model forecasts {trained.horizon} days ahead, not {horizon}")
    found, scale = features(demand, demand.days, horizon, _codes(demand, trained.groups, trained.parents))
    return np.maximum(trained.booster.predict(found), 0.0).reshape(-1, horizon) * scale[:, None]


def dumps(trained: Trained) -> str:
    return json.dumps({"booster": trained.booster.model_to_string(), "groups": trained.groups,
                       "parents": trained.parents, "horizon": trained.horizon, "days": trained.days,
                       "holdout": trained.holdout})


def loads(text: str) -> Trained:
    import lightgbm

    kept = json.loads(text)
    return Trained(lightgbm.Booster(model_str=kept["booster"]), kept["groups"], kept["parents"], kept["horizon"],
                   kept["days"], kept["holdout"])


def _names(labels: np.ndarray) -> dict[str, int]:
    return {str(name): code for code, name in enumerate(np.unique(labels.astype(str)))}


def _codes(demand: Demand, groups: dict[str, int], parents: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    def code(labels: np.ndarray, known: dict[str, int]) -> np.ndarray:
        return np.array([known.get(str(name), -1) for name in labels], dtype=float)  # −1: missing to LightGBM

    return code(demand.groups, groups), code(demand.parents, parents)

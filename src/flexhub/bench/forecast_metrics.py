"""Forecast accuracy as the M5 competition scored it: RMSSE, WRMSSE over its 12 aggregation levels,
and MASE and total bias besides.

A series' scale is its mean squared (RMSSE) or absolute (MASE) one-day change over the training
days from its first sale on; its weight is its dollar sales over the last 28 training days, each
level's weights summing to one. With two stores in two states several levels coincide (state and
store, for one); they are still counted as the competition counted them.
"""

from collections.abc import Callable

import numpy as np

from flexhub.bench.forecast_data import Panel

WEIGHT_DAYS = 28


def _joined(*columns: np.ndarray) -> np.ndarray:
    joined = columns[0].astype(str)
    for column in columns[1:]:
        joined = np.char.add(np.char.add(joined, "/"), column.astype(str))
    return joined


LEVELS: tuple[tuple[str, Callable[[Panel], np.ndarray]], ...] = (
    ("total", lambda p: np.zeros(len(p.item), dtype=int).astype(str)),
    ("state", lambda p: p.state),
    ("store", lambda p: p.store),
    ("cat", lambda p: p.cat),
    ("dept", lambda p: p.dept),
    ("state_cat", lambda p: _joined(p.state, p.cat)),
    ("state_dept", lambda p: _joined(p.state, p.dept)),
    ("store_cat", lambda p: _joined(p.store, p.cat)),
    ("store_dept", lambda p: _joined(p.store, p.dept)),
    ("item", lambda p: p.item),
    ("item_state", lambda p: _joined(p.item, p.state)),
    ("item_store", lambda p: _joined(p.item, p.store)),
)


def aggregate(matrix: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Sum the rows of `matrix` that share a label: one row per distinct label, in sorted order."""
    _, inverse = np.unique(labels, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(inverse[order]) != 0])
    return np.add.reduceat(matrix[order], starts, axis=0)


def trimmed_scale(train: np.ndarray, power: int) -> np.ndarray:
    """Mean |y_t − y_{t−1}|^power over the days from each series' first sale; nan where undefined."""
    started = np.cumsum(train > 0, axis=1) > 0
    changes = np.abs(np.diff(train, axis=1)) ** power
    counted = started[:, :-1]  # a change counts when the day before it was on sale already
    days = counted.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(counted, changes, 0.0).sum(axis=1) / days
    return np.where((days > 0) & (scale > 0), scale, np.nan)


def rmsse(train: np.ndarray, actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.sqrt(((actual - forecast) ** 2).mean(axis=1) / trimmed_scale(train, 2))


def wrmsse_levels(panel: Panel, origin: int, forecast: np.ndarray) -> dict[str, float]:
    """WRMSSE of each of the 12 levels for forecasts made after day `origin` (exclusive)."""
    horizon = forecast.shape[1]
    train, actual = panel.sales[:, :origin], panel.sales[:, origin:origin + horizon]
    dollars = np.nansum(train[:, -WEIGHT_DAYS:] * panel.prices[:, origin - WEIGHT_DAYS:origin], axis=1)
    scores = {}
    for name, labels_of in LEVELS:
        labels = labels_of(panel)
        errors = rmsse(aggregate(train, labels), aggregate(actual, labels), aggregate(forecast, labels))
        weights = aggregate(dollars[:, None], labels)[:, 0]
        weights = weights / weights.sum()
        scores[name] = float(np.nansum(weights * errors))
    return scores


def mase(train: np.ndarray, actual: np.ndarray, forecast: np.ndarray) -> float:
    """Mean over the series with a defined scale of MAE ÷ mean absolute one-day change."""
    with np.errstate(invalid="ignore"):
        scaled = np.abs(actual - forecast).mean(axis=1) / trimmed_scale(train, 1)
    return float(np.nanmean(scaled))


def bias(actual: np.ndarray, forecast: np.ndarray) -> float:
    """(Σ forecast − Σ actual) ÷ Σ actual: 0.014 is 1.4 % over."""
    total = float(actual.sum())
    return float(forecast.sum() - total) / total if total else 0.0

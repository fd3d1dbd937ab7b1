"""How wrong the forecast has been, and the stock that covers it.

A forecast is replayed from past origins (a backtest); each origin leaves the error of its sum
over the protection interval (lead time + review period). Errors are scaled by √forecast, which
makes a slow and a fast item comparable, and pooled over the series of the same demand class and
volume band: a single item has too few intervals for a 95 % quantile of its own. The stock to
hold is then forecast + quantile × √forecast.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from flexhub.replenishment.forecasting.classes import demand_classes
from flexhub.replenishment.forecasting.demand import Demand

FLOOR = 0.25  # forecasts below this many units scale their errors as if they were this
BANDS = (1.0, 5.0, 20.0)  # units over the interval separating slow, middling, fast and very fast
MIN_POOL = 30  # a pool with fewer errors than this borrows the errors of its whole class
MIN_SEEN = 14  # days a series must have been observed before an origin for that origin's error to count

Forecaster = Callable[[Demand, int], np.ndarray]


@dataclass(frozen=True)
class Backtest:
    forecast: np.ndarray  # (series, origins) forecast sums over the interval
    actual: np.ndarray  # (series, origins) actual sums, nan where the interval is not over or not seen
    daily_errors: np.ndarray  # (series, origins × span) actual − forecast per day


def backtest(demand: Demand, forecaster: Forecaster, *, span: int, origins: int, step: int = 7) -> Backtest:
    """Forecast `span` days from each of `origins` past points `step` days apart, ending `span`
    days before the end so that every interval is over. An origin before a series had been seen
    for MIN_SEEN days leaves no error for it: a forecast from nothing says nothing of the method."""
    last = demand.days - span
    starts = [last - step * k for k in range(origins - 1, -1, -1) if last - step * k > 0]
    sums, actuals, daily = [], [], []
    for start in starts:
        past = demand.before(start)
        forecast = forecaster(past, span)
        actual = demand.history[:, start:start + span]
        sums.append(forecast.sum(axis=1))
        known = np.isfinite(actual).all(axis=1) & (np.isfinite(past.history).sum(axis=1) >= MIN_SEEN)
        actuals.append(np.where(known, np.nansum(actual, axis=1), np.nan))
        daily.append(actual - forecast)
    n = demand.history.shape[0]
    if not starts:
        return Backtest(np.zeros((n, 0)), np.zeros((n, 0)), np.zeros((n, 0)))
    return Backtest(np.stack(sums, 1), np.stack(actuals, 1), np.concatenate(daily, axis=1))


def scaled_errors(actual: np.ndarray, forecast: np.ndarray) -> np.ndarray:
    return (actual - forecast) / np.sqrt(np.maximum(forecast, FLOOR))


def pools(history: np.ndarray, interval_forecast: np.ndarray) -> np.ndarray:
    """A pool label per series: its demand class and volume band."""
    return np.char.add(demand_classes(history).astype(str), np.digitize(interval_forecast, BANDS).astype(str))


def error_quantiles(actual: np.ndarray, forecast: np.ndarray, labels: np.ndarray, service: float) -> np.ndarray:
    """Per series: the smallest scaled error q such that, over the past intervals of its pool,
    ⌈forecast + q·√forecast⌉ would have covered the actual demand `service` of the time. Counting
    whole units matters: for slow items a plain quantile, rounded up, covers far more than asked."""
    quantiles = np.zeros(actual.shape[0])
    broad = np.char.rstrip(labels.astype(str), "0123456789")
    for label in np.unique(labels):
        members = labels == label
        pool_actual, pool_forecast = _finite_pairs(actual[members], forecast[members])
        if pool_actual.size < MIN_POOL:
            wider = broad == broad[members][0]
            pool_actual, pool_forecast = _finite_pairs(actual[wider], forecast[wider])
        quantiles[members] = _covering_quantile(pool_actual, pool_forecast, service)
    return quantiles


def _finite_pairs(actual: np.ndarray, forecast: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    seen = np.isfinite(actual) & np.isfinite(forecast)
    return actual[seen], forecast[seen]


def _covering_quantile(actual: np.ndarray, forecast: np.ndarray, service: float) -> float:
    if actual.size == 0:
        return 0.0
    candidates = np.unique(scaled_errors(actual, forecast))
    low, high = 0, len(candidates) - 1
    while low < high:  # coverage grows with q: find the first candidate that reaches the service
        middle = (low + high) // 2
        if (actual <= protection_levels(forecast, candidates[middle])).mean() >= service:
            high = middle
        else:
            low = middle + 1
    return float(candidates[low])


def protection_levels(interval_forecast: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
    """Whole units to have in position so the interval's demand is covered at the service level."""
    level = interval_forecast + quantiles * np.sqrt(np.maximum(interval_forecast, FLOOR))
    return np.ceil(np.maximum(level, 0.0) - 1e-9)

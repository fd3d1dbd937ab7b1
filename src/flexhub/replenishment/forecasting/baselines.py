"""The forecasts a better one must beat: seasonal naive, the 28-day mean, and the 28-day mean
times the weekday profile of its group (in M5 terms: store × department)."""

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.profiles import WEEKDAYS, group_totals, weekday_profile

WINDOW = 28


def seasonal_naive(demand: Demand, horizon: int) -> np.ndarray:
    """Each weekday sells what it sold the last time it came round."""
    last_week = np.nan_to_num(demand.history[:, -WEEKDAYS:])
    return np.tile(last_week, -(-horizon // WEEKDAYS))[:, :horizon]


def moving_average(demand: Demand, horizon: int, window: int = WINDOW) -> np.ndarray:
    return np.repeat(_mean_of_last(demand.history, window)[:, None], horizon, axis=1)


def moving_average_weekday(demand: Demand, horizon: int, window: int = WINDOW) -> np.ndarray:
    index, totals = group_totals(demand.history, demand.groups)
    profile = weekday_profile(totals, demand.past_weekdays, min(window, demand.days))
    return moving_average(demand, horizon, window) * profile[index][:, demand.future_weekdays(horizon)]


def _mean_of_last(history: np.ndarray, window: int) -> np.ndarray:
    recent = history[:, -window:]
    seen = np.isfinite(recent).sum(axis=1)
    return np.where(seen > 0, np.nansum(recent, axis=1) / np.maximum(seen, 1), 0.0)

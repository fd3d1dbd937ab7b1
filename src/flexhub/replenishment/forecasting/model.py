"""flexhub's default forecast, numpy only: per series a smoothed level of its demand with the weekday
profile of its group removed, moved with its group's recent momentum, then the profile put back;
intermittent and lumpy series (ADI/CV²) take their level from TSB instead.

On the M5 benchmark (`flexhub bench forecast`) this beats MA28 × weekday profile at item×store and
over the 12 M5 levels; the figures are in the README.
"""

from dataclasses import dataclass

import numpy as np

from flexhub.replenishment.forecasting import classes as demand_classes
from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.gaps import unrecorded_stockouts
from flexhub.replenishment.forecasting.intermittent import tsb
from flexhub.replenishment.forecasting.profiles import blended_weekday_profile, group_totals

MEMORY = 365  # days of history a forecast reads
ALPHA = 0.03  # smoothing of a series' own level: about two months of memory
MOMENTUM_DAYS = 56  # a group's recent line is fitted over these days
TSB_ALPHA = 0.03
INTERMITTENT = (demand_classes.INTERMITTENT, demand_classes.LUMPY)
METHOD = "ewma_profile_tsb"


@dataclass(frozen=True)
class Forecasts:
    daily: np.ndarray  # (series, horizon) expected units per day
    classes: np.ndarray  # (series,) smooth | erratic | intermittent | lumpy
    fitted_level: np.ndarray  # (series,) the daily rate before the weekday profile


def forecast(demand: Demand, horizon: int = 28) -> np.ndarray:
    return forecast_with_classes(demand, horizon).daily


def forecast_with_classes(demand: Demand, horizon: int = 28) -> Forecasts:
    history = unrecorded_stockouts(demand.history[:, -MEMORY:])
    past = demand.past_weekdays[-history.shape[1]:]
    profile = blended_weekday_profile(history, past, demand.groups, demand.parents)
    deseasoned = history / profile[:, past]
    level = smoothed_level(deseasoned, ALPHA)
    level = level * group_momentum(deseasoned, level, demand.groups)
    classes = demand_classes.demand_classes(history)
    sparse = np.isin(classes, INTERMITTENT)
    level[sparse] = tsb(history[sparse], TSB_ALPHA, TSB_ALPHA) / profile[sparse].mean(axis=1)
    daily = level[:, None] * profile[:, demand.future_weekdays(horizon)]
    return Forecasts(daily, classes, level)


def smoothed_level(values: np.ndarray, alpha: float) -> np.ndarray:
    """Exponentially weighted mean of each row over its observed days (0 where none is)."""
    weights = (1 - alpha) ** np.arange(values.shape[1])[::-1]
    seen = np.isfinite(values)
    total = np.where(seen, values, 0.0) @ weights
    mass = seen @ weights
    return np.where(mass > 0, total / np.where(mass > 0, mass, 1.0), 0.0)


def group_momentum(deseasoned: np.ndarray, level: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Per series: where its group's recent straight line ends ÷ the sum of its series' levels,
    kept within ½…2. A group's total is steady enough to show a turn its items cannot. A day a
    series was not observed counts as its own level, so a stock-out or a launch is no turn."""
    recent = deseasoned[:, -MOMENTUM_DAYS:]
    recent = np.where(np.isfinite(recent), recent, level[:, None])
    index, totals = group_totals(recent, groups)
    days = totals.shape[1]
    t = np.arange(days) - (days - 1) / 2
    slope = (totals * t).sum(axis=1) / max((t * t).sum(), 1.0)
    line_end = totals.mean(axis=1) + slope * (days - 1) / 2
    summed = np.zeros(totals.shape[0])
    np.add.at(summed, index, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(summed > 0, line_end / summed, 1.0)
    return np.clip(np.nan_to_num(ratio, nan=1.0), 0.5, 2.0)[index]

"""The learned model's features (learned.py), all known at the origin, levels scaled by the series' recent level:
- the series: its means of the last 7, 28, 56 and 112 days (56 as the scale, and its log as the volume), the same
  weekday a week before and its mean over four weeks, the share of days without a sale, days since the last sale,
  and the season a year before (the week around each target day a year earlier ÷ the 56 days before that origin);
- the hierarchy: its group (a category at a node) and parent (the node) as categories, the group's weekday profile
  and its recent momentum (the last 7 days' mean ÷ the last 56 days');
- the calendar: the target's weekday and distance;
- what is known ahead (`Demand.prices`, `Demand.signals`): the target day's price ÷ the series' usual price of the
  last 28 days and ÷ its highest of the year, and each signal on the target day (a holiday, a campaign's uplift,
  a benefit day)."""

import numpy as np

from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.profiles import WEEKDAYS, group_totals, weekday_profile

YEAR = 364  # days: the same weekday a year before
CATEGORICAL = [5, 8, 9]  # weekday, group, parent


def features(demand: Demand, origin: int, horizon: int,
              codes: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(series × horizon, features) at `origin`, and each series' scale (its mean of the last 56 observed days)."""
    past = demand.history[:, :origin]
    n = past.shape[0]
    scale = mean_of_last(past, 56)
    safe = np.where(scale > 0, scale, 1.0)
    mean7, mean28 = mean_of_last(past, 7) / safe, mean_of_last(past, 28) / safe
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
        last_year = year_ago(past, origin, horizon, scale)
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
        four_weeks, each(since_sale), each(momentum), each(mean_of_last(past, 112) / safe), last_year,
    ]
    targets = origin + ahead
    if demand.prices is not None:
        prices = demand.prices
        month, year = prices[:, max(origin - 28, 0):origin], prices[:, max(origin - 364, 0):origin]
        usual = np.where(np.isfinite(month).any(axis=1), mean_of_last(month, 28), np.nan)
        highest = np.where(np.isfinite(year), year, -np.inf).max(axis=1, initial=-np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            columns += [prices[:, targets] / usual[:, None],
                        prices[:, targets] / np.where(np.isfinite(highest), highest, np.nan)[:, None]]
    if demand.signals is not None:
        signals = demand.signals[:, targets]
        columns += [signals[:, :, k] for k in range(signals.shape[2])]
    return np.stack([np.asarray(c, dtype=np.float32).ravel() for c in columns], axis=1), scale


def year_ago(past: np.ndarray, origin: int, horizon: int, scale: np.ndarray) -> np.ndarray:
    """(series, horizon): a year before each target day, the week around it ÷ the 56 days before that origin: the
    season's shape (nan where the series was not seen a year before)."""
    n = past.shape[0]
    then = origin - YEAR
    if then - 56 < 0:
        return np.full((n, horizon), np.nan)
    before = mean_of_last(past[:, :then], 56)
    days = then + np.arange(horizon)
    window = np.stack([past[:, np.clip(days + k, 0, origin - 1)] for k in range(-3, 4)])
    seen = np.isfinite(window).sum(axis=0)
    around = np.nansum(window, axis=0) / np.maximum(seen, 1)
    return np.where((seen > 0) & (before[:, None] > 0), around / np.where(before > 0, before, 1.0)[:, None], np.nan)


def mean_of_last(history: np.ndarray, window: int) -> np.ndarray:
    recent = history[:, -window:]
    seen = np.isfinite(recent).sum(axis=1)
    return np.where(seen > 0, np.nansum(recent, axis=1) / np.maximum(seen, 1), 0.0)

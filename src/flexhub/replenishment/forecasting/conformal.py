"""Quantiles of demand over a protection interval from a model's out-of-sample errors (split conformal): the learned
model, trained with a holdout (learned.py), forecasts from weekly origins inside the days it did not learn from; each
origin leaves the error of its sum over the interval. Errors are scaled by √forecast and pooled by demand class and
volume band as in uncertainty.py, and the pool's `service` quantile q gives the quantile forecast
⌈forecast + q·√forecast⌉: the units that cover the interval's demand `service` of the time, which is the level to
hold (S of (R,S), the reorder point s of (s,Q)); the safety stock is that level less the forecast."""

from dataclasses import dataclass

import numpy as np

from flexhub.replenishment.forecasting import uncertainty
from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.forecasting.uncertainty import Forecaster

STEP = 7  # days between calibration origins
POOL_DAYS = 182  # history the demand classes of the pools are read from


@dataclass(frozen=True)
class Quantiles:
    levels: np.ndarray  # (series,) whole units covering the interval at the service level
    forecast: np.ndarray  # (series,) the interval's forecast
    calibration_origins: int  # how many out-of-sample origins the errors came from

    @property
    def safety(self) -> np.ndarray:
        return self.levels - self.forecast


def calibration_starts(days: int, span: int, unseen_from: int) -> list[int]:
    """Weekly origins whose `span` days are over and lie wholly in the days the model did not learn from."""
    last = days - span
    return [s for s in range(last, unseen_from - 1, -STEP)][::-1] if last >= unseen_from else []


def quantiles(demand: Demand, forecaster: Forecaster, ahead: np.ndarray, *, span: int, service: float,
              unseen_from: int) -> Quantiles | None:
    """The `service` quantile of each series' demand over the next `span` days, whose forecast is `ahead`;
    None when no origin has `span` unseen days behind it."""
    starts = calibration_starts(demand.days, span, unseen_from)
    if not starts:
        return None
    past = uncertainty.backtest(demand, forecaster, span=span, origins=len(starts), step=STEP)
    if not np.isfinite(past.actual).any():
        return None
    labels = uncertainty.pools(demand.history[:, -POOL_DAYS:], ahead)
    scaled = uncertainty.error_quantiles(past.actual, past.forecast, labels, service)
    return Quantiles(uncertainty.protection_levels(ahead, scaled), ahead, len(starts))

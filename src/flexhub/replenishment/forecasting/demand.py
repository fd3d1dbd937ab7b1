"""What every forecaster reads: a (series, days) matrix of daily demand with the calendar and the
groups its series share profiles with."""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Demand:
    """Daily demand of many series (SKU × node), nan on a day not observed: before the first sale,
    or out of stock (censored). `first_weekday` is the weekday of the first day (0 = Monday);
    `groups` share a weekday profile (a category at a node), `parents` a wider one (the node).

    What is known ahead, for the forecasters that read it (the learned model; the numpy core does not):
    `prices` (series, days + ahead) the selling price, nan where unknown, and `signals` (series, days + ahead,
    k) calendar and promotion figures such as a holiday, a campaign's uplift or a benefit day, the same k columns
    over the past (to learn from) and the days ahead (to forecast with)."""

    history: np.ndarray
    first_weekday: int
    groups: np.ndarray
    parents: np.ndarray
    prices: np.ndarray | None = None
    signals: np.ndarray | None = None

    @property
    def days(self) -> int:
        return self.history.shape[1]

    @property
    def past_weekdays(self) -> np.ndarray:
        return (self.first_weekday + np.arange(self.days)) % 7

    def future_weekdays(self, horizon: int) -> np.ndarray:
        return (self.first_weekday + self.days + np.arange(horizon)) % 7

    def subset(self, rows: np.ndarray) -> "Demand":
        return Demand(self.history[rows], self.first_weekday, self.groups[rows], self.parents[rows],
                      None if self.prices is None else self.prices[rows],
                      None if self.signals is None else self.signals[rows])

    def before(self, day: int) -> "Demand":
        """The same series as they stood before `day`: history cut there, what is known ahead kept."""
        return Demand(self.history[:, :day], self.first_weekday, self.groups, self.parents, self.prices, self.signals)


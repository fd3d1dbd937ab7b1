"""A lost-sales inventory simulation of (R,S) policies, all series at once.

Each review day a policy names S per series; the order lifting the inventory position (on hand +
on order) to S arrives `lead` days later, at the start of the day. Demand beyond what is on hand
is lost. A cycle is the `review` days from one arrival to the next: it is served when it lost
nothing.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Outcome:
    cycle_service: float  # share of cycles that lost no sale
    cycle_service_with_demand: float  # the same, counting only cycles that had demand
    fill_rate: float  # units sold ÷ units demanded
    average_stock: float  # mean units on hand at the end of a day, per series
    lost_units: int


def simulate(demand: np.ndarray, levels: np.ndarray, *, review: int, lead: int) -> Outcome:
    """`demand` (series, days) from the first review on; `levels` (series, reviews) the S of each
    review. The system starts with S of the first review on hand."""
    series, days = demand.shape
    on_hand = levels[:, 0].astype(float).copy()
    arriving = np.zeros((series, days + lead + 1))
    lost = np.zeros((series, days))
    stock = np.zeros((series, days))
    for day in range(days):
        on_hand += arriving[:, day]
        if day % review == 0 and day > 0:
            position = on_hand + arriving[:, day + 1:day + lead + 1].sum(axis=1)
            arriving[:, day + lead] += np.maximum(levels[:, day // review] - position, 0.0)
        sold = np.minimum(on_hand, demand[:, day])
        lost[:, day] = demand[:, day] - sold
        on_hand -= sold
        stock[:, day] = on_hand
    return _outcome(demand, lost, stock, review, lead)


def _outcome(demand: np.ndarray, lost: np.ndarray, stock: np.ndarray, review: int, lead: int) -> Outcome:
    days = demand.shape[1]
    cycles = (days - lead) // review
    span = slice(lead, lead + cycles * review)
    by_cycle = lambda m: m[:, span].reshape(m.shape[0], cycles, review).sum(axis=2)  # noqa: E731
    short, wanted = by_cycle(lost) > 0, by_cycle(demand) > 0
    return Outcome(
        cycle_service=round(float(1 - short.mean()), 4),
        cycle_service_with_demand=round(float(1 - short[wanted].mean()), 4) if wanted.any() else 1.0,
        fill_rate=round(float(1 - lost.sum() / max(demand.sum(), 1e-9)), 4),
        average_stock=round(float(stock.mean()), 3),
        lost_units=int(lost.sum()),
    )

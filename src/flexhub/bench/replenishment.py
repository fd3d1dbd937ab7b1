"""`flexhub bench replenishment`: which safety stock hits a cycle-service target with the least stock.

On the benchmark panel, every series is replenished by (R,S) with review `review` and lead time
`lead` over the last `weeks` weeks (lost sales), S set by each policy from data before the review:

- `normal`: forecast + z·σ·√(L+R), σ the series' daily forecast error;
- `poisson`: the service quantile of Poisson(forecast over L+R);
- `empirical_quantile`: the service quantile of the series' own (L+R)-day demand over the last half year;
- `forecast_error_quantile` (flexhub's): forecast + the pooled empirical quantile of past forecast
  errors over L+R (see `replenishment.forecasting.uncertainty`).
"""

from collections.abc import Callable
from dataclasses import asdict
from statistics import NormalDist
from typing import Any

import numpy as np

from flexhub.bench.forecast import demand_before
from flexhub.bench.forecast_data import Panel
from flexhub.bench.replenishment_sim import simulate
from flexhub.replenishment.forecasting import model, uncertainty
from flexhub.replenishment.rules import poisson_quantile

DEFAULT = "forecast_error_quantile"
HISTORY_DAYS = 182


def run(panel: Panel, *, service: float = 0.95, review: int = 7, lead: int = 3, weeks: int = 26,
        warmup: int = 12, progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    span = review + lead
    days = panel.sales.shape[1]
    first = days - weeks * review
    origins = [first - (warmup - k) * review for k in range(warmup + weeks)]
    forecasts = []
    for number, origin in enumerate(origins, 1):
        progress(f"forecast {number}/{len(origins)}")
        forecasts.append(model.forecast(demand_before(panel, origin), span))
    daily = np.stack(forecasts, axis=1)  # (series, origins, span)
    levels = {name: np.zeros((panel.sales.shape[0], weeks)) for name in ("normal", "poisson",
                                                                         "empirical_quantile", DEFAULT)}
    for k in range(weeks):
        review_day = origins[warmup + k]
        for name, value in _levels(panel, daily, origins, warmup + k, review_day, span, service).items():
            levels[name][:, k] = value
    demand = panel.sales[:, first:]
    policies = {}
    for name, level in levels.items():
        progress(f"simulate {name}")
        policies[name] = asdict(simulate(demand, level, review=review, lead=lead))
    return {"default": DEFAULT, "service_target": service, "review_days": review, "lead_days": lead,
            "weeks": weeks, "series": int(panel.sales.shape[0]), "policies": policies}


def _levels(panel: Panel, daily: np.ndarray, origins: list[int], index: int, review_day: int, span: int,
            service: float) -> dict[str, np.ndarray]:
    forecast = daily[:, index].sum(axis=1)
    known = [j for j in range(index) if origins[j] + span <= review_day][-12:]
    actual = np.stack([panel.sales[:, origins[j]:origins[j] + span] for j in known], axis=1)
    past = daily[:, known]
    history = demand_before(panel, review_day).history[:, -HISTORY_DAYS:]
    labels = uncertainty.pools(history, forecast)
    sigma = np.sqrt(((actual - past) ** 2).mean(axis=(1, 2)))
    z = NormalDist().inv_cdf(service)
    return {
        "normal": np.ceil(forecast + z * sigma * np.sqrt(span) - 1e-9),
        "poisson": np.array([poisson_quantile(f, service) for f in forecast], dtype=float),
        "empirical_quantile": _demand_quantile(history, span, service),
        DEFAULT: uncertainty.protection_levels(forecast, uncertainty.error_quantiles(
            actual.sum(axis=2), past.sum(axis=2), labels, service)),
    }


def _demand_quantile(history: np.ndarray, span: int, service: float) -> np.ndarray:
    """The service quantile of each series' rolling `span`-day demand (unobserved days as none)."""
    sums = np.lib.stride_tricks.sliding_window_view(np.nan_to_num(history), span, axis=1).sum(axis=2)
    return np.ceil(np.quantile(sums, service, axis=1) - 1e-9)


def table(report: dict[str, Any]) -> "Any":
    from rich.table import Table

    title = (f"flexhub bench replenishment — {report['series']} series, (R,S) review {report['review_days']} d, "
             f"lead {report['lead_days']} d, target {report['service_target']:.0%}, lost sales")
    grid = Table("policy", "cycle service", "… cycles with demand", "fill rate", "average stock", title=title)
    for name, p in report["policies"].items():
        grid.add_row(f"{name} (default)" if name == report["default"] else name, f"{p['cycle_service']:.2%}",
                     f"{p['cycle_service_with_demand']:.2%}", f"{p['fill_rate']:.2%}", f"{p['average_stock']:.2f}")
    return grid

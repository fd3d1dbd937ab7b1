"""`flexhub bench forecast`: forecast accuracy and speed on a sales panel, rolling origins.

Protocol: the last `origins` windows of `horizon` days are forecast one after another, each from
all the days before it, every series trimmed before its first sale; scored with WRMSSE at item ×
store and over the 12 M5 levels, MASE and total bias (averaged over origins; bias over all of
them), and series forecast per second. The baselines run in the same process on the same data.
"""

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from flexhub.bench import forecast_metrics as metrics
from flexhub.bench.forecast_data import Panel
from flexhub.bench.report import machine
from flexhub.replenishment.forecasting import baselines, model
from flexhub.replenishment.forecasting.demand import Demand

Method = Callable[[Demand, int], np.ndarray]
DEFAULT = model.METHOD
METHODS: dict[str, Method] = {
    "snaive": baselines.seasonal_naive,
    "ma28": baselines.moving_average,
    "ma28_weekday": baselines.moving_average_weekday,
    DEFAULT: model.forecast,
}


def learned_methods() -> dict[str, Method]:
    """The learned forecast as the hub uses it (blended with the numpy core), then the model's own forecast from the
    same training: the second reads the first's, so its series/s leaves the training out."""
    from flexhub.replenishment.forecasting import learned

    kept: dict[tuple[int, int], np.ndarray] = {}

    def used(demand: Demand, horizon: int) -> np.ndarray:
        blend, own = learned.forecast_both(demand, horizon)
        kept[(demand.days, horizon)] = own  # by origin: the second method runs after all origins of the first
        return blend

    def own(demand: Demand, horizon: int) -> np.ndarray:
        found = kept.get((demand.days, horizon))
        return found if found is not None else learned.forecast_both(demand, horizon)[1]

    return {learned.METHOD: used, f"{learned.METHOD}_unblended": own}


def demand_before(panel: Panel, origin: int, horizon: int = 0, signals: np.ndarray | None = None) -> Demand:
    """Every series up to `origin` (exclusive), nan before its first sale; the prices and `signals` (see
    `known_signals`) of the `horizon` days after it known ahead, as a brand knows its own prices and calendar."""
    sales = panel.sales[:, :origin]
    started = np.cumsum(sales > 0, axis=1) > 0
    groups = np.char.add(np.char.add(panel.store.astype(str), "/"), panel.dept.astype(str))
    parents = np.char.add(np.char.add(panel.store.astype(str), "/"), panel.cat.astype(str))
    return Demand(np.where(started, sales, np.nan), int(panel.weekday[0]), groups, parents,
                  panel.prices[:, :origin + horizon], None if signals is None else signals[:, :origin + horizon])


def known_signals(panel: Panel) -> np.ndarray:
    """(series, days, 4) what the calendar tells ahead: the day of the month, a SNAP benefit day in the series'
    state, the kind of the day's event and of the next day's (shopping before a holiday)."""
    n, days = panel.sales.shape
    holiday = panel.holiday if panel.holiday is not None else np.zeros(days, dtype=np.int8)
    snap = panel.snap if panel.snap is not None else np.zeros((n, days), dtype=bool)
    signals = np.empty((n, days, 4), dtype=np.float32)
    signals[:, :, 0] = panel.monthday[None, :]
    signals[:, :, 1] = snap
    signals[:, :, 2] = holiday[None, :]
    signals[:, :, 3] = np.r_[holiday[1:], 0][None, :]
    return signals


def run(panel: Panel, methods: dict[str, Method], *, origins: int = 3, horizon: int = 28,
        progress: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    days = panel.sales.shape[1]
    starts = [days - horizon * k for k in range(origins, 0, -1)]
    scored: dict[str, dict[str, Any]] = {}
    signals = known_signals(panel)
    for name, method in methods.items():
        progress(name)
        scored[name] = _score(panel, method, starts, horizon, signals)
    return {"default": DEFAULT if DEFAULT in scored else next(iter(scored)), "methods": scored,
            "series": int(panel.sales.shape[0]), "origins": starts, "horizon": horizon, "machine": machine()}


def _score(panel: Panel, method: Method, starts: list[int], horizon: int, signals: np.ndarray) -> dict[str, Any]:
    seconds, item_store, twelve, scaled, actuals, forecasts = 0.0, [], [], [], [], []
    for origin in starts:
        demand = demand_before(panel, origin, horizon, signals)
        began = time.perf_counter()
        forecast = np.maximum(method(demand, horizon), 0.0)
        seconds += time.perf_counter() - began
        actual = panel.sales[:, origin:origin + horizon]
        levels = metrics.wrmsse_levels(panel, origin, forecast)
        item_store.append(levels["item_store"])
        twelve.append(float(np.mean(list(levels.values()))))
        scaled.append(metrics.mase(panel.sales[:, :origin], actual, forecast))
        actuals.append(actual)
        forecasts.append(forecast)
    return {
        "wrmsse_item_store": round(float(np.mean(item_store)), 4),
        "wrmsse_12": round(float(np.mean(twelve)), 4),
        "mase": round(float(np.mean(scaled)), 4),
        "bias": round(metrics.bias(np.hstack(actuals), np.hstack(forecasts)), 4),
        "series_per_s": round(panel.sales.shape[0] * len(starts) / max(seconds, 1e-9), 1),
        "by_origin": {"wrmsse_item_store": [round(x, 4) for x in item_store],
                      "wrmsse_12": [round(x, 4) for x in twelve]},
    }


def table(report: dict[str, Any]) -> "Any":
    from rich.table import Table

    title = (f"flexhub bench forecast — {report['series']} series, origins {report['origins']}, {report['horizon']} "
             f"days, load {report['machine']['loadavg_1m']}")
    grid = Table("method", "WRMSSE item×store", "WRMSSE 12 levels", "MASE", "bias", "series/s", title=title)
    for name, m in report["methods"].items():
        label = f"{name} (default)" if name == report["default"] else name
        grid.add_row(label, f"{m['wrmsse_item_store']:.4f}", f"{m['wrmsse_12']:.4f}", f"{m['mase']:.4f}",
                     f"{m['bias']:+.2%}", f"{m['series_per_s']:,.0f}")
    return grid

"""Reading plans: a SKU's forecast at a node, and the purchase, production and transfer suggestions
computed from the database's own demand history."""

import math
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from flexhub import planning
from flexhub.catalog import UnknownSku
from flexhub.inventory import UnknownLocation
from flexhub.kernel import clock
from flexhub.replenishment import channel_split, learned_plan, promotions, repository, rules
from flexhub.replenishment.forecasting import model, uncertainty
from flexhub.replenishment.forecasting.demand import Demand
from flexhub.replenishment.history import DemandHistory, read_history

HORIZON = 28
BACKTESTS = 12  # weekly origins the error estimate replays
DEFAULT_LEAD_DAYS = 7
RUNS_SHOWN = 10  # training runs the model's status lists


@dataclass(frozen=True)
class Plan:
    history: DemandHistory
    forecasts: model.Forecasts
    levels: np.ndarray  # (series,) units to have in position (S, or s for (s,Q))
    interval: np.ndarray  # (series,) days each level protects
    skus: dict[uuid.UUID, Any]
    locations: dict[uuid.UUID, Any]
    today: date
    events: list[planning.EventEffect]
    method: str = model.METHOD  # the forecast used: the learned model's or the numpy core's
    method_reason: str | None = None  # why not the learned model, when it is the numpy core


def plan(connection: Connection, tenant_id: uuid.UUID, *, today: date, service: float = 0.95,
         review_days: int = 7, horizon: int = HORIZON) -> Plan:
    """Forecasts (`horizon` days from today, at least HORIZON) and the levels to hold, for every SKU × node."""
    horizon = max(horizon, HORIZON)
    history, skus, events, demand = planning_demand(connection, tenant_id, today=today, horizon=horizon)
    locations = repository.locations(connection, tenant_id)
    first, _ = promotions.horizon_days(today, horizon)
    choice = learned_plan.choose(connection, tenant_id, history.start, today)
    forecasts = model.forecast_with_classes(demand, horizon)
    if choice.trained is not None:
        daily = learned_plan.forecast(choice, demand, history.start, horizon)
        forecasts = model.Forecasts(daily, forecasts.classes, daily.mean(axis=1))
    unraised = forecasts.daily
    forecasts = replace(forecasts, daily=forecasts.daily * promotions.multipliers(history, events, first, horizon))
    interval = np.array([_interval(skus[sku_id].attributes, review_days) for sku_id, _ in history.keys], dtype=int)
    levels = np.zeros(len(history.keys))
    for days in np.unique(interval):  # one backtest per protection interval in use
        rows = interval == days
        levels[rows] = _levels(choice, demand, history.start, forecasts, unraised, int(days), service)[rows]
    return Plan(history, forecasts, levels, interval, skus, locations, today, events, choice.method, choice.reason)


def planning_demand(connection: Connection, tenant_id: uuid.UUID, *, today: date, horizon: int = HORIZON
                    ) -> tuple[DemandHistory, dict[uuid.UUID, Any], list[planning.EventEffect], Demand]:
    """The year of history before today (SKUs only, no bundles), the events up to the horizon's end, and the demand
    the forecasts read: the days events moved left out."""
    history = read_history(connection, tenant_id, today=today)
    skus = repository.skus(connection, tenant_id)
    keep = [i for i, (sku_id, _) in enumerate(history.keys) if sku_id in skus]
    history = DemandHistory(history.start, [history.keys[i] for i in keep], history.sold[keep],
                            history.returned[keep], history.censored[keep], history.by_channel)
    _, last = promotions.horizon_days(today, horizon)
    events = planning.event_effects(connection, tenant_id, history.start, last)
    return history, skus, events, _demand(history, skus, promotions.without_event_days(history, events))


def forecast_by_node(connection: Connection, tenant_id: uuid.UUID, sku_ids: set[Any], *,
                     today: date) -> dict[Any, dict[str, float | None]]:
    """Units forecast over the horizon for these SKUs, per SKU and node code (a supplier's portal shows them); None
    for a node with no whole day of demand observed yet (a SKU that sold only today: history counts whole days), of
    which the forecast core knows nothing, rather than a forecast of 0."""
    if not sku_ids:
        return {}
    found = plan(connection, tenant_id, today=today)
    observed = np.isfinite(found.history.demand()).any(axis=1)
    per_node: dict[Any, dict[str, float | None]] = {}
    for row, (sku_id, location_id) in enumerate(found.history.keys):
        if sku_id in sku_ids:
            code = found.locations[location_id].code  # one series per SKU and node
            per_node.setdefault(sku_id, {})[code] = float(np.sum(found.forecasts.daily[row])) if observed[row] else None
    return per_node


def forecast_for(connection: Connection, tenant_id: uuid.UUID, sku: str, location: str, *, today: date,
                 service: float = 0.95) -> dict[str, Any]:
    found = plan(connection, tenant_id, today=today, service=service)
    sku_id = next((k for k, s in found.skus.items() if s.code == sku), None)
    if sku_id is None:
        raise UnknownSku(f"unknown SKU {sku}", sku=sku)
    location_id = next((k for k, loc in found.locations.items() if loc.code == location), None)
    if location_id is None:
        raise UnknownLocation(f"unknown location {location}", location=location)
    row = found.history.row((sku_id, location_id))
    stock = repository.positions(connection, tenant_id).get((sku_id, location_id), {"available": 0, "in_transit": 0})
    daily = found.forecasts.daily[row, :HORIZON] if row is not None else np.zeros(HORIZON)
    return {
        "sku": sku, "location": location, "as_of": today, "horizon_days": HORIZON, "method": found.method,
        "method_reason": found.method_reason,
        "demand_class": str(found.forecasts.classes[row]) if row is not None else "none",
        "history_days": found.history.days,
        "censored_days": int(found.history.censored[row].sum()) if row is not None else 0,
        "daily": [{"date": today + timedelta(days=d), "units": round(float(u), 3)} for d, u in enumerate(daily)],
        "total": round(float(daily.sum()), 3),
        "error": _error(found, row),
        "available": stock["available"], "in_transit": stock["in_transit"],
        "projected_stockout": rules.stockout_date(stock["available"] + stock["in_transit"], daily.tolist(), today),
    }


def channel_forecast(connection: Connection, tenant_id: uuid.UUID, sku: str, *, today: date) -> dict[str, Any]:
    """A SKU's 28-day forecast at each node and through each channel, reconciled: channels sum to their node's
    forecast each day, nodes to the SKU's total (channel_split.py)."""
    found = plan(connection, tenant_id, today=today)
    sku_id = next((k for k, s in found.skus.items() if s.code == sku), None)
    if sku_id is None:
        raise UnknownSku(f"unknown SKU {sku}", sku=sku)
    codes = repository.channel_codes(connection, tenant_id, {c for *_, c in found.history.by_channel})
    nodes, total = [], np.zeros(HORIZON)
    for row, (key_sku, location_id) in enumerate(found.history.keys):
        if key_sku != sku_id:
            continue
        daily = found.forecasts.daily[row, :HORIZON]
        parts = channel_split.split(found.history, row, daily, found.events, today)
        total += daily
        nodes.append({"location": found.locations[location_id].code, "total": round(float(daily.sum()), 3),
                      "daily": _days(today, daily),
                      "channels": [{"channel": codes.get(c) if c is not None else None,
                                    "total": round(float(units.sum()), 3), "daily": _days(today, units)}
                                   for c, units in sorted(parts.items(), key=lambda p: -p[1].sum())]})
    return {"sku": sku, "as_of": today, "horizon_days": HORIZON, "method": found.method,
            "method_reason": found.method_reason,
            "total": round(float(total.sum()), 3), "daily": _days(today, total),
            "nodes": sorted(nodes, key=lambda n: n["location"])}


def model_status(connection: Connection, tenant_id: uuid.UUID, *, today: date, retrain_every_days: float = 0.0,
                 runs: int = RUNS_SHOWN) -> dict[str, Any]:
    """The forecast the plans use now (the learned model, or the numpy core and why), the latest model's facts and its
    error over its hold-out, the latest training runs, and when the schedule trains it next (None: off, or no
    model to retrain)."""
    row = repository.latest_model(connection, tenant_id)
    choice = learned_plan.choose(connection, tenant_id, today, today)
    facts = {} if row is None else {key: getattr(row, key) for key in (
        "trained_at", "through", "learned_until", "history_days", "series", "seconds", "trained_by")}
    kept = None if row is None else repository.run_of_model(connection, tenant_id, row.id)
    recent = repository.recent_runs(connection, tenant_id, runs)
    last = max([clock.as_utc(row.trained_at)] + [clock.as_utc(r.started_at) for r in recent[:1]]) if row else None
    return {"method": choice.method, "method_reason": choice.reason, **facts,
            "holdout": None if kept is None else _holdout(kept),
            "retrain_every_days": retrain_every_days or None,
            "next_retrain_at": last + timedelta(days=retrain_every_days) if last and retrain_every_days > 0 else None,
            "runs": [_run(r) for r in recent]}


def _holdout(run: Any) -> dict[str, Any]:
    return {key: getattr(run, key) for key in ("holdout_days", "holdout_wape", "holdout_bias", "core_wape")}


def _run(run: Any) -> dict[str, Any]:
    return {"started_at": run.started_at, "trigger": run.trigger, "outcome": run.outcome, "seconds": run.seconds,
            "history_days": run.history_days, "series": run.series, "error_code": run.error_code,
            "detail": run.detail, **_holdout(run)}


def _days(today: date, units: np.ndarray) -> list[dict[str, Any]]:
    return [{"date": today + timedelta(days=d), "units": round(float(u), 3)} for d, u in enumerate(units)]


def _demand(history: DemandHistory, skus: dict[uuid.UUID, Any], observed: np.ndarray) -> Demand:
    category = [skus[sku_id].category or "-" for sku_id, _ in history.keys]
    node = np.array([str(location_id) for _, location_id in history.keys], dtype=object).astype(str)
    groups = np.char.add(np.char.add(node, "/"), np.array(category, dtype=str)) if len(node) else node
    first_weekday = history.start.weekday()
    return Demand(observed, first_weekday, groups, node)


def _interval(attributes: dict[str, Any], review_days: int) -> int:
    lead = int(attributes.get("lead_time_days", DEFAULT_LEAD_DAYS))
    return lead if attributes.get("policy") == "sQ" else lead + review_days


def _protection(demand: Demand, forecasts: model.Forecasts, days: int, service: float) -> np.ndarray:
    """Units covering `days` of demand at `service`: forecast + pooled error quantile, or the Poisson
    quantile where the history is too short to replay."""
    ahead = model.forecast(demand, days).sum(axis=1) if days > HORIZON else forecasts.daily[:, :days].sum(axis=1)
    past = uncertainty.backtest(demand, model.forecast, span=days, origins=BACKTESTS)
    if past.forecast.shape[1] == 0 or not np.isfinite(past.actual).any():
        return np.array([rules.poisson_quantile(float(f), service) for f in ahead], dtype=float)
    labels = uncertainty.pools(demand.history[:, -182:], ahead)
    quantiles = uncertainty.error_quantiles(past.actual, past.forecast, labels, service)
    return uncertainty.protection_levels(ahead, quantiles)


def _levels(choice: learned_plan.Choice, demand: Demand, start: date, forecasts: model.Forecasts,
            unraised: np.ndarray, days: int, service: float) -> np.ndarray:
    """The learned model's conformal quantiles with the events' extra units on top, or the numpy core's levels."""
    usual = unraised[:, :days].sum(axis=1)
    found = learned_plan.protection(choice, demand, start, usual, days, service)
    if found is None:
        return _protection(demand, forecasts, days, service)
    return np.ceil(found + forecasts.daily[:, :days].sum(axis=1) - usual - 1e-9)


def _error(found: Plan, row: int | None) -> dict[str, Any]:
    if row is None:
        return {"interval_days": None, "protection_units": 0, "safety_units": 0.0}
    days = int(found.interval[row])
    expected = float(found.forecasts.daily[row, :days].sum())
    return {"interval_days": days, "protection_units": int(found.levels[row]),
            "safety_units": round(float(found.levels[row]) - expected, 3)}


def suggestions(connection: Connection, tenant_id: uuid.UUID, *, today: date, service: float = 0.95,
                review_days: int = 7, budget: int | None = None, factory_capacity: int | None = None) -> dict:
    found = plan(connection, tenant_id, today=today, service=service, review_days=review_days)
    stock = repository.positions(connection, tenant_id)
    needs = []
    for row, (sku_id, location_id) in enumerate(found.history.keys):
        needs.append(_need(found, row, stock.get((sku_id, location_id), {"available": 0, "in_transit": 0})))
    for (sku_id, location_id), held in stock.items():  # stock where nothing sold: a donor, never short
        if sku_id in found.skus and (sku_id, location_id) not in found.history.keys and held["available"] > 0:
            attributes = found.skus[sku_id].attributes
            needs.append(rules.Need(found.skus[sku_id].code, found.locations[location_id].code,
                                    position_of(held), 0, moq=int(attributes.get("moq", 1)),
                                    pack=int(attributes.get("pack", 1))))
    moved, left = rules.transfers(needs)
    # By SKU code: `transfers` hands the needs back in its own order (shortest cover first).
    made = {s.code for s in found.skus.values() if s.attributes.get("made_in_house")}
    bought = rules.purchases([n for n in left if n.sku not in made], budget=budget)
    produced = rules.production([n for n in left if n.sku in made],
                                capacity=factory_capacity if factory_capacity is not None else 10**9)
    return {"as_of": today, "service_target": service, "review_days": review_days, "method": found.method,
            "method_reason": found.method_reason,
            "levels": [_level(n) for n in needs],
            "suggestions": [s.__dict__ for s in (*moved, *bought, *produced)]}


def _need(found: Plan, row: int, stock: dict[str, int]) -> rules.Need:
    sku_id, location_id = found.history.keys[row]
    attributes = found.skus[sku_id].attributes
    position = position_of(stock)
    daily = float(found.forecasts.daily[row].mean())
    target = int(found.levels[row])
    if attributes.get("policy") == "sQ":
        batch = max(int(attributes.get("moq", 1)), round(rules.economic_order_quantity(
            order_cost=float(attributes.get("order_cost", 0)), holding=float(attributes.get("holding_cost", 1)),
            annual_demand=daily * 365)))
        target = position + rules.reorder_point_order(position, target, batch, pack=int(attributes.get("pack", 1)))
    return rules.Need(found.skus[sku_id].code, found.locations[location_id].code, position, max(target, 0),
                      unit_cost=int(attributes.get("unit_cost", 0)), moq=int(attributes.get("moq", 1)),
                      pack=int(attributes.get("pack", 1)),
                      days_of_cover=position / daily if daily > 0 else math.inf)


def position_of(held: dict[str, int]) -> int:
    """The inventory position: available + in transit + on order."""
    return held["available"] + held["in_transit"] + held.get("on_order", 0)


def _level(need: rules.Need) -> dict[str, Any]:
    return {"sku": need.sku, "location": need.location, "position": need.position, "target": need.target,
            "days_of_cover": None if math.isinf(need.days_of_cover) else round(need.days_of_cover, 1)}

"""Which forecast the hub plans with: the tenant's latest learned model (trained by `POST
/api/v1/replenishment/forecast/model`; its forecast blended with the numpy core's, learned.BLEND) when there is one
that can forecast today's history, else the numpy core, with the reason it was not the learned one. The learned model
reads China's calendar (calendar_cn.py) as signals known ahead; the event calendar is applied to either forecast the
same way afterwards (promotions.py). Its safety stock comes from its conformal quantiles, calibrated on the days it did
not learn from; where these are too few for an interval, from the numpy core's replayed errors."""

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from flexhub.replenishment import repository
from flexhub.replenishment.forecasting import calendar_cn, conformal, learned, model
from flexhub.replenishment.forecasting.demand import Demand

HORIZON = 28  # days the model forecasts from its origin
HOLDOUT = 28  # last days a trained model does not learn from: its quantiles' calibration
STALE_DAYS = 91  # a model older than this is not used: train again
NO_MODEL = "no learned model trained yet (POST /api/v1/replenishment/forecast/model)"
_loaded: dict[uuid.UUID, learned.Trained] = {}  # kept models by id: a model is read from its text once
KEPT_FORECASTS = 32  # forecasts _both keeps (each series × horizon, twice)
_predicted: dict[tuple[uuid.UUID | None, bytes], tuple[np.ndarray, np.ndarray]] = {}


@dataclass(frozen=True)
class Choice:
    method: str
    reason: str | None  # why the numpy core, when it is the one
    trained: learned.Trained | None = None
    unseen_from: int = 0  # the first day (index into the history) the model did not learn from
    model_id: uuid.UUID | None = None


def choose(connection: Connection, tenant_id: uuid.UUID, start: date, today: date) -> Choice:
    """The learned model when it can be used for a history starting on `start`, else the numpy core and why."""
    row = repository.latest_model(connection, tenant_id)
    if row is None:
        return Choice(model.METHOD, NO_MODEL)
    missing = learned.available()
    if missing:
        return Choice(model.METHOD, f"a learned model was trained but cannot run here: {missing}")
    if (today - row.through).days > STALE_DAYS:
        return Choice(model.METHOD, f"the learned model was trained on {row.through.isoformat()}, more than "
                                    f"{STALE_DAYS} days ago: train it again")
    try:
        trained = _loaded.get(row.id) or learned.loads(row.model)
    except Exception as unreadable:  # a model written by another LightGBM version, or damaged
        return Choice(model.METHOD, f"the learned model cannot be read ({type(unreadable).__name__}): train it again")
    if len(_loaded) > 8:
        _loaded.clear()
    _loaded[row.id] = trained
    return Choice(learned.METHOD, None, trained, max((row.learned_until - start).days, 0), row.id)


def with_calendar(demand: Demand, start: date, horizon: int) -> Demand:
    """The demand with China's calendar over its days and the `horizon` after them."""
    days = demand.days + max(horizon, HORIZON)
    return replace(demand, signals=calendar_cn.signals(start, days, demand.history.shape[0]))


def forecast(choice: Choice, demand: Demand, start: date, horizon: int) -> np.ndarray:
    """(series, horizon): the learned model's days (up to its horizon), the numpy core's beyond them."""
    if choice.trained is None:
        return model.forecast(demand, horizon)
    ahead = min(horizon, choice.trained.horizon)
    own, core = _both(choice.model_id, choice.trained, with_calendar(demand, start, horizon))
    found = learned.blended(own[:, :ahead], core[:, :ahead])
    return np.hstack([found, model.forecast(demand, horizon)[:, ahead:]]) if horizon > ahead else found


def protection(choice: Choice, demand: Demand, start: date, ahead: np.ndarray, span: int,
               service: float) -> np.ndarray | None:
    """Units covering `span` days at `service` from the learned model's conformal quantiles; None when it is not
    the model in use or too few unseen days are behind today for this interval."""
    if choice.trained is None or span > choice.trained.horizon:
        return None
    calendar = with_calendar(demand, start, HORIZON)
    trained = choice.trained

    def forecaster(past: Demand, days: int) -> np.ndarray:
        own, core = _both(choice.model_id, trained, past)
        return learned.blended(own[:, :days], core[:, :days])

    found = conformal.quantiles(calendar, forecaster, ahead, span=span, service=service,
                                unseen_from=choice.unseen_from)
    return None if found is None else found.levels


def _both(model_id: uuid.UUID | None, trained: learned.Trained, demand: Demand) -> tuple[np.ndarray, np.ndarray]:
    """The model's own forecast of its whole horizon from the end of `demand`, and the numpy core's. Kept by model
    and by all they read: every plan of a day (each alerts run, page, the supplier portal) asks the same of the same
    days, and the model's part took half of a plan's time in the demo; a history changed since reads afresh."""
    horizon = trained.horizon
    key = (model_id, _fingerprint(demand, horizon))
    found = _predicted.get(key)
    if found is None:
        if len(_predicted) >= KEPT_FORECASTS:
            _predicted.clear()
        found = _predicted[key] = (learned.predict(trained, demand, horizon), model.forecast(demand, horizon))
    return found


def _fingerprint(demand: Demand, horizon: int) -> bytes:
    """A digest of what a forecast of `horizon` days from the end of `demand` reads."""
    digest = hashlib.blake2b(digest_size=16)
    ahead = demand.days + horizon
    for part in (demand.history, demand.groups.astype(str), demand.parents.astype(str),
                 demand.signals[:, :ahead] if demand.signals is not None else np.empty(0),
                 demand.prices[:, :ahead] if demand.prices is not None else np.empty(0)):
        digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(b"|")
    digest.update(bytes([demand.first_weekday]))
    return digest.digest()


def holdout_accuracy(trained: learned.Trained, demand: Demand, start: date) -> dict[str, Any]:
    """How the forecast the plans use (the model's, blended) did over the days it did not learn from, forecast from
    the first of them, beside the numpy core's from the same origin: WAPE (Σ|forecast − actual| ÷ Σ actual) and bias
    (Σ(forecast − actual) ÷ Σ actual) over the observed days. None where nothing was sold in them."""
    days = min(trained.holdout, trained.horizon)
    origin = demand.days - trained.holdout
    found = demand.history[:, origin:origin + days]
    seen, actual = np.isfinite(found), np.nan_to_num(found)
    past = with_calendar(demand, start, HORIZON).before(origin)
    used = learned.predict_blended(trained, past, days)
    core = model.forecast(past, days)
    sold = float(actual[seen].sum())

    def share(values: np.ndarray) -> float | None:
        return None if sold <= 0 else round(float(values[seen].sum()) / sold, 4)

    return {"holdout_days": days, "holdout_wape": share(np.abs(used - actual)), "holdout_bias": share(used - actual),
            "core_wape": share(np.abs(core - actual))}


def history_needed() -> int:
    """Days of history observed a model needs to be trained (its forecast days and hold-out included)."""
    return learned.min_history(HORIZON, HOLDOUT)


def train(demand: Demand, start: date, today: date) -> tuple[learned.Trained | None, dict[str, Any]]:
    """A model trained on the tenant's demand up to today, the last HOLDOUT days held out; None when the history
    observed is too short. With the facts to keep beside it."""
    observed = np.isfinite(demand.history).any(axis=0)
    first_seen = int(np.argmax(observed)) if observed.any() else demand.days
    needed = history_needed()
    seen_days = demand.days - first_seen
    facts = {"history_days": seen_days, "needed_days": needed, "through": today,
             "learned_until": today - timedelta(days=HOLDOUT), "series": int(demand.history.shape[0])}
    if seen_days < needed:
        return None, facts
    recent = Demand(demand.history[:, first_seen:], (demand.first_weekday + first_seen) % 7, demand.groups,
                    demand.parents)
    recent_start = start + timedelta(days=first_seen)
    trained = learned.train(with_calendar(recent, recent_start, HORIZON), HORIZON, holdout=HOLDOUT)
    if trained is not None:
        facts.update(holdout_accuracy(trained, recent, recent_start))
    return trained, facts

"""Training the learned forecast for a tenant (TrainForecastModel): on the same demand the plans read, the last
HOLDOUT days held out for its quantiles and to measure it; kept in forecast_models, the latest used by every plan from
then on, and the run in forecast_runs (who asked, when, how long, its error over the hold-out beside the numpy
core's). Refused with nothing written when LightGBM is missing or the history observed is shorter than the model
needs; the schedule (retraining.py) keeps its own refusals as runs."""

import time
import uuid
from datetime import datetime
from typing import Any

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.replenishment import learned_plan, repository
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.errors import HistoryTooShort, LearnedUnavailable
from flexhub.replenishment.forecasting import learned
from flexhub.replenishment.queries import planning_demand

HOLDOUT_FIGURES = ("holdout_days", "holdout_wape", "holdout_bias", "core_wape")


def train_forecast_model(cmd: TrainForecastModel, uow_factory: UnitOfWorkFactory) -> dict:
    missing = learned.available()
    if missing:
        raise LearnedUnavailable(missing)
    tenant_id, now = cmd.actor.tenant_id, clock.now()
    today = now.date()
    with uow_factory(write=False) as uow:
        history, _, _, demand = planning_demand(uow.connection, tenant_id, today=today)
    began = time.perf_counter()
    trained, facts = learned_plan.train(demand, history.start, today)
    if trained is None:
        raise HistoryTooShort(f"{facts['history_days']} days of history; the learned model needs "
                              f"{facts['needed_days']}", history_days=facts["history_days"],
                              needed_days=facts["needed_days"], series=facts["series"])
    seconds = round(time.perf_counter() - began, 3)
    row = {"id": new_id(), "tenant_id": tenant_id, "method": learned.METHOD, "through": facts["through"],
           "learned_until": facts["learned_until"], "history_days": facts["history_days"], "series": facts["series"],
           "seconds": seconds, "model": learned.dumps(trained), "trained_by": cmd.actor.name, "trained_at": now}
    run = run_row(tenant_id, cmd.trigger, now, seconds=seconds, outcome="trained", model_id=row["id"],
                  history_days=facts["history_days"], series=facts["series"],
                  **{key: facts[key] for key in HOLDOUT_FIGURES})
    with uow_factory() as uow:
        repository.insert_model(uow.connection, row)
        repository.insert_run(uow.connection, run)
        audit.record(uow, cmd.actor, audit.Audited("replenishment.train_forecast", "forecast_model", row["id"],
                                                   {"series": row["series"], "history_days": row["history_days"],
                                                    "seconds": seconds, "trigger": cmd.trigger,
                                                    "holdout_wape": facts["holdout_wape"]}))
        uow.commit()
    return {key: value for key, value in row.items() if key not in ("id", "tenant_id", "model")}


def run_row(tenant_id: uuid.UUID, trigger: str, started_at: datetime, *, seconds: float, outcome: str,
            history_days: int, series: int, model_id: uuid.UUID | None = None, error_code: str | None = None,
            detail: str | None = None, **holdout: Any) -> dict[str, Any]:
    """A forecast_runs row; the hold-out figures (HOLDOUT_FIGURES) are None for a refused run."""
    return {"id": new_id(), "tenant_id": tenant_id, "trigger": trigger, "outcome": outcome, "model_id": model_id,
            "error_code": error_code, "detail": None if detail is None else detail[:500],
            "history_days": history_days, "series": series, "seconds": seconds, "started_at": started_at,
            **{key: holdout.get(key) for key in HOLDOUT_FIGURES}}

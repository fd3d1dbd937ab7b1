"""Training the learned forecast for a tenant (TrainForecastModel): on the same demand the plans read, the last
HOLDOUT days held out for its quantiles; kept in forecast_models, the latest used by every plan from then on. Refused
with nothing written when LightGBM is missing or the history observed is shorter than the model needs."""

import time

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.replenishment import learned_plan, repository
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.errors import HistoryTooShort, LearnedUnavailable
from flexhub.replenishment.forecasting import learned
from flexhub.replenishment.queries import planning_demand


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
                              needed_days=facts["needed_days"])
    seconds = round(time.perf_counter() - began, 3)
    row = {"id": new_id(), "tenant_id": tenant_id, "method": learned.METHOD, "through": facts["through"],
           "learned_until": facts["learned_until"], "history_days": facts["history_days"], "series": facts["series"],
           "seconds": seconds, "model": learned.dumps(trained), "trained_by": cmd.actor.name, "trained_at": now}
    with uow_factory() as uow:
        repository.insert_model(uow.connection, row)
        audit.record(uow, cmd.actor, audit.Audited("replenishment.train_forecast", "forecast_model", row["id"],
                                                   {"series": row["series"], "history_days": row["history_days"],
                                                    "seconds": seconds}))
        uow.commit()
    return {key: value for key, value in row.items() if key not in ("id", "tenant_id", "model")}

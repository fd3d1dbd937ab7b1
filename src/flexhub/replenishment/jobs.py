"""The learned forecast trained again on a schedule, through the one job queue: each tenant that has trained a model
gets a `replenishment.retrain` job (keyed by tenant, so one at a time) once `forecast_retrain_days` have passed since
its last run, and a tenant that never trained one gets its first as soon as its history is long enough (nobody has
to ask); whichever process holds the schedule's lease trains it, outside any transaction. A refusal (the
history too short, LightGBM missing) is kept as a run so planners see it, and waits for the next turn; any other
failure is retried by the queue's back-off and parked as a dead letter after its last attempt."""

import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from flexhub import identity, planning
from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Policy, Record, owner_name, run_due
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.replenishment import learned_plan, repository
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.errors import HistoryTooShort, LearnedUnavailable
from flexhub.replenishment.training import run_row

KIND = "replenishment.retrain"
ACTOR = "schedule:forecast-retrain"  # the audit log's name for what the schedule trained
# Training takes seconds for a brand, minutes for thousands of series: a long lease, few and slow retries.
POLICY = Policy(max_attempts=3, first_s=600.0, cap_s=6 * 3600.0, lease_s=3600.0)


class RetrainSchedule:
    def __init__(self, uow_factory: UnitOfWorkFactory, handle: Callable[[Any], Any], *, every_days: float) -> None:
        self._uow_factory = uow_factory
        self._handle = handle
        self.every_days = every_days
        self._owner = owner_name(KIND)

    def run_once(self) -> int:
        """Queue the tenants due and train those whose jobs are due; returns how many runs ended (trained or
        refused). Off when `every_days` is 0."""
        if self.every_days <= 0:
            return 0
        self.queue_due()
        return run_due(self._uow_factory, KIND, self._train, owner=self._owner, policy=POLICY, limit=10)

    def queue_due(self) -> int:
        """A training job for each tenant whose last run is `every_days` old, and for each that never trained a
        model once its history is long enough for one (one already queued stays as is)."""
        now = clock.now()
        cutoff = now - timedelta(days=self.every_days)
        with self._uow_factory() as uow:
            trained = repository.last_training(uow.connection)
            due = [tenant_id for tenant_id, last in trained.items() if last <= cutoff]
            due += first_models_due(uow.connection, set(trained), now.date(), cutoff)
            enqueue(uow.connection, [NewJob(KIND, {}, key=str(tenant_id), tenant_id=tenant_id) for tenant_id in due])
            uow.commit()
        return len(due)

    def _train(self, job: Claimed) -> Record | None:
        actor = Actor(tenant_id=job.required_tenant(), role="admin", name=ACTOR)
        started, began = clock.now(), time.perf_counter()
        try:
            self._handle(TrainForecastModel(actor=actor, trigger="schedule"))
        except (HistoryTooShort, LearnedUnavailable) as refused:
            run = run_row(actor.tenant_id, "schedule", started, seconds=round(time.perf_counter() - began, 3),
                          outcome="refused", error_code=refused.code, detail=refused.message,
                          history_days=int(refused.details.get("history_days", 0)),
                          series=int(refused.details.get("series", 0)))
            return lambda uow: repository.insert_run(uow.connection, run)
        return None


def first_models_due(connection: Connection, trained: set[uuid.UUID], today: date, cutoff: datetime) -> list[uuid.UUID]:
    """The tenants without a model whose history (from their first order or imported day that sold, to today) is as
    long as a model needs, and that have not tried since `cutoff` (a refusal waits for the next turn)."""
    tried = repository.last_runs(connection)
    untrained = [tenant_id for tenant_id in identity.tenant_ids(connection)
                 if tenant_id not in trained and tried.get(tenant_id, cutoff) <= cutoff]
    if not untrained:
        return []
    orders = {tenant_id: at.date() for tenant_id, at in repository.first_orders(connection, untrained).items()}
    imported = planning.first_imported_days(connection, untrained)
    needed = learned_plan.history_needed()
    return [tenant_id for tenant_id in untrained
            if (days := [d for d in (orders.get(tenant_id), imported.get(tenant_id)) if d is not None])
            and (today - min(days)).days >= needed]

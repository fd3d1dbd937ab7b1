"""The learned forecast trained again on a schedule, through the one job queue: each tenant that has trained a model
gets a `replenishment.retrain` job (keyed by tenant, so one at a time) once `forecast_retrain_days` have passed since
its last run, and whichever process holds the schedule's lease trains it, outside any transaction. A refusal (the
history too short, LightGBM missing) is kept as a run so planners see it, and waits for the next turn; any other
failure is retried by the queue's back-off and parked as a dead letter after its last attempt."""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Policy, Record, owner_name, run_due
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.replenishment import repository
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
        """A retraining job for each tenant whose last run is `every_days` old (one already queued stays as is)."""
        cutoff = clock.now() - timedelta(days=self.every_days)
        with self._uow_factory() as uow:
            due = [tenant_id for tenant_id, last in repository.last_training(uow.connection).items() if last <= cutoff]
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

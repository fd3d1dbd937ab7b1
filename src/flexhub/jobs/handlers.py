"""Job queue handlers: retry or delete a dead job of the actor's tenant, audited."""

import uuid

from flexhub.db import jobs
from flexhub.db.jobs import queue
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.jobs.commands import DeleteJob, JobDeleted, JobRetried, RetryJob


def retry_job(cmd: RetryJob, uow_factory: UnitOfWorkFactory) -> JobRetried:
    job_id = _id(cmd.job_id)
    with uow_factory() as uow:
        jobs.retry(uow.connection, job_id, tenant_id=cmd.actor.tenant_id)
        audit.record(uow, cmd.actor, audit.Audited("job.retry", "job", job_id))
        uow.commit()
    return JobRetried(id=str(job_id), state="pending")


def delete_job(cmd: DeleteJob, uow_factory: UnitOfWorkFactory) -> JobDeleted:
    job_id = _id(cmd.job_id)
    with uow_factory() as uow:
        queue.delete_dead(uow.connection, job_id, tenant_id=cmd.actor.tenant_id)
        audit.record(uow, cmd.actor, audit.Audited("job.delete", "job", job_id))
        uow.commit()
    return JobDeleted(id=str(job_id), deleted=True)


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise jobs.JobNotFound(f"no job {text}") from exc

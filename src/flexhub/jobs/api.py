"""Job queue routes: /api/v1/jobs — the tenant's jobs (by state and kind, paged), a dead one retried or deleted.
Admins and operators only: jobs carry payloads other roles may not see."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, allowed
from flexhub.jobs import queries
from flexhub.jobs.commands import DeleteJob, RetryJob
from flexhub.jobs.schemas import DeletedJobOut, JobOut, JobsOut, RetriedJobOut
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])
Operator = Annotated[Actor, Depends(allowed("jobs.manage"))]
State = Literal["pending", "running", "dead"]


@router.get("", response_model=JobsOut)
def list_jobs(actor: Operator, hub: HubDep, state: Annotated[list[State] | None, Query()] = None,
              kind: Annotated[str | None, Query(max_length=80)] = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0) -> dict:
    """The tenant's jobs, most recently changed first; `state=dead` lists the dead letters."""
    with hub.uow(write=False) as uow:
        return queries.list_jobs(uow.connection, actor.tenant_id, states=list(state or []), kind=kind, limit=limit,
                                 offset=offset)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: uuid.UUID, actor: Operator, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return queries.one_job(uow.connection, actor.tenant_id, job_id)


@router.post("/{job_id}/retry", response_model=RetriedJobOut)
def retry_job(job_id: uuid.UUID, actor: Operator, hub: HubDep) -> dict[str, Any]:
    """A dead job due again now, with a fresh count of attempts (409 `jobs.not_dead` for any other)."""
    return answer(hub.handle(RetryJob(actor=actor, job_id=str(job_id))))


@router.delete("/{job_id}", response_model=DeletedJobOut)
def delete_job(job_id: uuid.UUID, actor: Operator, hub: HubDep) -> dict[str, Any]:
    """A dead job given up for good (409 `jobs.not_dead` for any other)."""
    return answer(hub.handle(DeleteJob(actor=actor, job_id=str(job_id))))

"""The dashboard's job queue page: the tenant's jobs by state, a page at a time, dead ones retried or deleted."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.jobs import queries
from flexhub.jobs.commands import DeleteJob, RetryJob
from flexhub.web.render import page
from flexhub.web.session import WebActor, local_path, require

router = APIRouter(include_in_schema=False)
PAGE = 50
STATES = ("dead", "pending", "running")
Back = Annotated[str, Form(max_length=300)]  # the page the button was on (the exceptions page has them too)


@router.get("/jobs", response_class=HTMLResponse)
def jobs(request: Request, actor: WebActor, hub: HubDep, state: str = "dead", offset: int = 0) -> HTMLResponse:
    require(actor, "jobs.manage")
    state = state if state in STATES else "dead"
    with hub.uow(write=False) as uow:
        found = queries.list_jobs(uow.connection, actor.tenant_id, states=[state], limit=PAGE, offset=max(0, offset))
    return page(request, "jobs.html", actor, state=state, states=STATES, page_size=PAGE, **found)


@router.post("/jobs/{job_id}/retry")
def retry(job_id: uuid.UUID, actor: WebActor, hub: HubDep, back: Back = "/jobs?state=dead") -> RedirectResponse:
    require(actor, "jobs.manage")
    hub.handle(RetryJob(actor=actor, job_id=str(job_id)))
    return RedirectResponse(local_path(back), status_code=303)


@router.post("/jobs/{job_id}/delete")
def delete(job_id: uuid.UUID, actor: WebActor, hub: HubDep, back: Back = "/jobs?state=dead") -> RedirectResponse:
    require(actor, "jobs.manage")
    hub.handle(DeleteJob(actor=actor, job_id=str(job_id)))
    return RedirectResponse(local_path(back), status_code=303)

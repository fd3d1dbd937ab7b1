"""Pre-allocation on the dashboard: the forecast the plans use (the learned model's facts, its error over its hold-out
and its next scheduled training) and the events coming (on the transfers page's side, /preallocation), one event's
plan (what each node should hold of its SKUs, each channel's quota, the transfers) and the one click that makes the
transfers. Staff read (`brand.read`); those who move stock approve (`inventory.write`), refused with 403 otherwise."""

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub import planning
from flexhub.api.auth import HubDep
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.replenishment.preallocation import carry_out, preallocation
from flexhub.replenishment.queries import model_status
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
AHEAD_DAYS = 90  # events starting within this many days are listed


@router.get("/preallocation", response_class=HTMLResponse)
def events_page(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    require(actor, "brand.read")
    today = clock.now().date()
    with hub.uow(write=False) as uow:
        events = planning.list_events(uow.connection, actor.tenant_id, first=today,
                                      last=today + timedelta(days=AHEAD_DAYS))
        model = model_status(uow.connection, actor.tenant_id, today=today,
                             retrain_every_days=hub.settings.forecast_retrain_days)
    return page(request, "preallocation.html", actor, events=events, plan=None, model=model)


@router.get("/preallocation/{event_id}", response_class=HTMLResponse)
def plan_page(event_id: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    require(actor, "brand.read")
    with hub.uow(write=False) as uow:
        found = preallocation(uow.connection, actor.tenant_id, event_id, today=clock.now().date())
    return page(request, "preallocation.html", actor, events=None, plan=found)


@router.post("/preallocation/{event_id}", response_model=None)
def approve(event_id: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse | RedirectResponse:
    """One click: the plan as it stands now, made into transfers; then the transfers page shows them."""
    require(actor, "brand.read")
    require(actor, "inventory.write")
    with hub.uow(write=False) as uow:
        found = preallocation(uow.connection, actor.tenant_id, event_id, today=clock.now().date())
    try:
        carry_out(actor, found, hub.handle)
    except FlexhubError as error:  # stock moved meanwhile: the plan is shown again with why
        return page(request, "preallocation.html", actor, events=None, plan=found, error=error,
                    status_code=error.status)
    return RedirectResponse("/transfers", status_code=303)

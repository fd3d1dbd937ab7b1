"""Planning routes: /api/v1/planning. Sales history from before the hub, and the calendar of campaigns and live-room
sessions the forecasts expect; staff who plan write them, staff read the calendar."""

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.planning.commands import CreateEvent, HistoryImported, ImportSalesHistory, SalesDay
from flexhub.planning.queries import get_event, list_events
from flexhub.planning.schemas import EventIn, EventOut, EventsOut, HistoryIn, HistoryOut

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])
Planner = Annotated[Actor, Depends(allowed("planning.write"))]
Reader = Annotated[Actor, Depends(allowed("brand.read"))]


@router.post("/history", status_code=201, response_model=HistoryOut)
def import_history(body: HistoryIn, actor: Planner, hub: HubDep) -> HistoryImported:
    """Daily units per SKU × node (× channel) from before the hub; a day imported again replaces the earlier."""
    days = [SalesDay(**line.model_dump()) for line in body.days]
    imported: HistoryImported = hub.handle(ImportSalesHistory(actor=actor, days=days))
    return imported


@router.post("/events", status_code=201, response_model=EventOut)
def create_event(body: EventIn, actor: Planner, hub: HubDep) -> EventOut:
    """A campaign or live-room session: its SKUs' forecast is multiplied by its uplift on its days."""
    created: EventOut = hub.handle(CreateEvent(actor=actor, **body.model_dump()))
    return created


@router.get("/events", response_model=EventsOut)
def events(actor: Reader, hub: HubDep, since: Annotated[date | None, Query(description="default: today")] = None,
           until: Annotated[date | None, Query(description="default: 90 days after `since`")] = None,
           sku: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """Events with a day between `since` and `until`, earliest first."""
    first = since or clock.now().date()
    with hub.uow(write=False) as uow:
        return {"events": list_events(uow.connection, actor.tenant_id, first=first,
                                      last=until or first + timedelta(days=90), sku=sku)}


@router.get("/events/{event_id}", response_model=EventOut)
def event(event_id: str, actor: Reader, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return get_event(uow.connection, actor.tenant_id, event_id)

"""Planning routes: /api/v1/planning. Sales history from before the hub goes in here (staff who plan)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor
from flexhub.planning.commands import HistoryImported, ImportSalesHistory, SalesDay
from flexhub.planning.schemas import HistoryIn, HistoryOut

router = APIRouter(prefix="/api/v1/planning", tags=["planning"])
Planner = Annotated[Actor, Depends(allowed("planning.write"))]


@router.post("/history", status_code=201, response_model=HistoryOut)
def import_history(body: HistoryIn, actor: Planner, hub: HubDep) -> HistoryImported:
    """Daily units per SKU × node (× channel) from before the hub; a day imported again replaces the earlier."""
    days = [SalesDay(**line.model_dump()) for line in body.days]
    imported: HistoryImported = hub.handle(ImportSalesHistory(actor=actor, days=days))
    return imported

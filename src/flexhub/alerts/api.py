"""Alert routes: `GET /api/v1/alerts`, filterable by kind, SKU, node and state."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from flexhub.alerts.queries import list_alerts
from flexhub.api.auth import HubDep, Reader

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])


class AlertOut(BaseModel):
    id: str
    kind: str
    sku: str
    location: str
    state: str
    detail: dict[str, Any]
    raised_at: datetime
    cleared_at: datetime | None


class AlertsOut(BaseModel):
    alerts: list[AlertOut]


@router.get("", response_model=AlertsOut)
def alerts(actor: Reader, hub: HubDep, kind: Literal["stockout", "excess"] | None = None,
           sku: Annotated[str | None, Query(max_length=64)] = None,
           location: Annotated[str | None, Query(max_length=64)] = None,
           state: Literal["open", "cleared"] = "open", limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict:
    """Predicted stock-outs (within lead time + review period) and excess stock (cover over the threshold)."""
    if actor.partner_id is not None:
        return {"alerts": []}  # a partner's view of stock is its own portal's
    with hub.uow(write=False) as uow:
        return {"alerts": list_alerts(uow.connection, actor.tenant_id, kind=kind, sku=sku, location=location,
                                      state=state, limit=limit)}

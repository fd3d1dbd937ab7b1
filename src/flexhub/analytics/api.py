"""Analytics routes: /api/v1/analytics (501 when the `analytics` extra is not installed)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from flexhub.analytics import extra
from flexhub.api.auth import HubDep, allowed
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
Reader = Annotated[Actor, Depends(allowed("brand.read"))]  # analytics cover the whole tenant: staff only
UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    501: {"description": "the `analytics` extra is not installed (`analytics.unavailable`)"},
}


@router.get("/kpis", responses=UNAVAILABLE)
def kpis(actor: Reader, hub: HubDep, days: Annotated[int, Query(ge=1, le=366)] = 30) -> dict[str, Any]:
    """Order processing time percentiles, fill rate, stock-out rate and turnover days over the last `days`
    days (UTC, today included), for the whole tenant and per channel, node and SKU."""
    extra.require()
    from flexhub.analytics import service  # only now: it cannot load without the extra

    return service.kpi_report(hub.uow, actor.tenant_id, days=days)

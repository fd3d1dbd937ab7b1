"""Replenishment routes: /api/v1/replenishment (read only; figures computed from the database's history). The
brand's own planning, from every seller's sales: staff only (`brand.read`); a supplier sees its SKUs' forecast in
its portal."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.replenishment.queries import forecast_for, suggestions
from flexhub.replenishment.schemas import ForecastOut, SuggestionsOut

router = APIRouter(prefix="/api/v1/replenishment", tags=["replenishment"])
Reader = Annotated[Actor, Depends(allowed("brand.read"))]
Service = Annotated[float, Query(gt=0.5, lt=1.0, description="cycle-service target")]


@router.get("/forecast", response_model=ForecastOut)
def forecast(actor: Reader, hub: HubDep, sku: Annotated[str, Query(min_length=1, max_length=64)],
             location: Annotated[str, Query(min_length=1, max_length=64)], service: Service = 0.95) -> dict:
    with hub.uow(write=False) as uow:
        return forecast_for(uow.connection, actor.tenant_id, sku, location, today=clock.now().date(), service=service)


@router.get("/suggestions", response_model=SuggestionsOut)
def suggested(actor: Reader, hub: HubDep, service: Service = 0.95,
              review_days: Annotated[int, Query(ge=1, le=90)] = 7,
              budget: Annotated[int | None, Query(ge=0, description="minor units purchases may spend")] = None,
              factory_capacity: Annotated[int | None, Query(ge=0, description="units the own factory can make")] = None
              ) -> dict:
    with hub.uow(write=False) as uow:
        return suggestions(uow.connection, actor.tenant_id, today=clock.now().date(), service=service,
                           review_days=review_days, budget=budget, factory_capacity=factory_capacity)

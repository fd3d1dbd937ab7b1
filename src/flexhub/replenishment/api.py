"""Replenishment routes: /api/v1/replenishment (figures computed from the database's history). The brand's own
planning, from every seller's sales: staff only (`brand.read`); a supplier sees its SKUs' forecast in its portal.
The learned forecast is trained by those who plan (`planning.write`).
Pre-allocation before an event is read by staff and carried out (transfers) by those who move stock
(`inventory.write`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, allowed
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.replenishment.preallocation import carry_out, preallocation
from flexhub.replenishment.queries import channel_forecast, forecast_for, model_status, suggestions
from flexhub.replenishment.schemas import (
    ChannelForecastOut,
    ForecastModelOut,
    ForecastOut,
    PreallocatedOut,
    PreallocationOut,
    SuggestionsOut,
)

router = APIRouter(prefix="/api/v1/replenishment", tags=["replenishment"])
Reader = Annotated[Actor, Depends(allowed("brand.read"))]
Mover = Annotated[Actor, Depends(allowed("inventory.write"))]
Planner = Annotated[Actor, Depends(allowed("planning.write"))]
Service = Annotated[float, Query(gt=0.5, lt=1.0, description="cycle-service target")]


@router.get("/forecast", response_model=ForecastOut)
def forecast(actor: Reader, hub: HubDep, sku: Annotated[str, Query(min_length=1, max_length=64)],
             location: Annotated[str, Query(min_length=1, max_length=64)], service: Service = 0.95) -> dict:
    with hub.uow(write=False) as uow:
        return forecast_for(uow.connection, actor.tenant_id, sku, location, today=clock.now().date(), service=service)


@router.get("/forecast/channels", response_model=ChannelForecastOut)
def forecast_by_channel(actor: Reader, hub: HubDep, sku: Annotated[str, Query(min_length=1, max_length=64)]) -> dict:
    """The SKU's forecast at each node and through each channel, reconciled: channels sum to their node, nodes to
    the SKU's total, every day."""
    with hub.uow(write=False) as uow:
        return channel_forecast(uow.connection, actor.tenant_id, sku, today=clock.now().date())


@router.get("/forecast/model", response_model=ForecastModelOut)
def forecast_model(actor: Reader, hub: HubDep) -> dict:
    """The forecast the plans use now: the learned model's facts, or the numpy core and why."""
    with hub.uow(write=False) as uow:
        return model_status(uow.connection, actor.tenant_id, today=clock.now().date(),
                            retrain_every_days=hub.settings.forecast_retrain_days)


@router.post("/forecast/model", status_code=201, response_model=ForecastModelOut)
def train_forecast_model(actor: Planner, hub: HubDep) -> dict:
    """Train the learned model on the history up to today; forecasts, alerts, suggestions and the supplier portal
    use it from then on. LightGBM missing or too short a history: 409, nothing kept."""
    hub.handle(TrainForecastModel(actor=actor))
    with hub.uow(write=False) as uow:
        return model_status(uow.connection, actor.tenant_id, today=clock.now().date(),
                            retrain_every_days=hub.settings.forecast_retrain_days)


@router.get("/suggestions", response_model=SuggestionsOut)
def suggested(actor: Reader, hub: HubDep, service: Service = 0.95,
              review_days: Annotated[int, Query(ge=1, le=90)] = 7,
              budget: Annotated[int | None, Query(ge=0, description="minor units purchases may spend")] = None,
              factory_capacity: Annotated[int | None, Query(ge=0, description="units the own factory can make")] = None
              ) -> dict:
    with hub.uow(write=False) as uow:
        return suggestions(uow.connection, actor.tenant_id, today=clock.now().date(), service=service,
                           review_days=review_days, budget=budget, factory_capacity=factory_capacity)


@router.get("/preallocation/{event_id}", response_model=PreallocationOut)
def preallocation_plan(event_id: str, actor: Reader, hub: HubDep, service: Service = 0.95) -> dict:
    """Before an event: what each node should hold of its SKUs, its channels' quotas, and the transfers that bring
    the stock there."""
    with hub.uow(write=False) as uow:
        return preallocation(uow.connection, actor.tenant_id, event_id, today=clock.now().date(), service=service)


@router.post("/preallocation/{event_id}", status_code=201, response_model=PreallocatedOut)
def preallocate(event_id: str, actor: Mover, hub: HubDep, service: Service = 0.95) -> dict:
    """The plan's transfers made (one click), one per pair of nodes, referenced `pre-allocation <event id>`."""
    with hub.uow(write=False) as uow:
        found = preallocation(uow.connection, actor.tenant_id, event_id, today=clock.now().date(), service=service)
    return {"transfers": carry_out(actor, found, hub.handle)}

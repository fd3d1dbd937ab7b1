"""Outbound webhook routes: /api/v1/notifications — endpoints (a partner's key registers its own) and
deliveries, with the retry of a parked one."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer
from flexhub.notifications import queries
from flexhub.notifications.commands import CreateEndpoint, DeleteEndpoint, DisableEndpoint, RetryDelivery, RotateSecret
from flexhub.notifications.schemas import (
    CreatedEndpointOut,
    DeletedEndpointOut,
    DeliveriesOut,
    EndpointIn,
    EndpointOut,
    EndpointsOut,
    RetriedOut,
    RotatedSecretOut,
)

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
Subscriber = Annotated[Actor, Depends(allowed("notifications.write"))]


@router.post("/endpoints", status_code=201, response_model=CreatedEndpointOut)
def create_endpoint(body: EndpointIn, actor: Subscriber, hub: HubDep) -> dict:
    """Register where events go, signed per Standard Webhooks; the `whsec_` secret is in this answer only."""
    created = hub.handle(CreateEndpoint(actor=actor, url=str(body.url), event_types=body.event_types,
                                          allow_private=body.allow_private))
    return {**answer(created), "created_at": None}


@router.get("/endpoints", response_model=EndpointsOut)
def list_endpoints(actor: Reader, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return {"endpoints": queries.list_endpoints(uow.connection, actor.tenant_id, actor.partner_id)}


@router.post("/endpoints/{endpoint_id}/disable", response_model=EndpointOut)
def disable_endpoint(endpoint_id: uuid.UUID, actor: Subscriber, hub: HubDep) -> dict:
    hub.handle(DisableEndpoint(actor=actor, endpoint_id=str(endpoint_id)))
    with hub.uow(write=False) as uow:
        found = queries.list_endpoints(uow.connection, actor.tenant_id, actor.partner_id)
    return next(e for e in found if e["id"] == str(endpoint_id))


@router.delete("/endpoints/{endpoint_id}", response_model=DeletedEndpointOut)
def delete_endpoint(endpoint_id: uuid.UUID, actor: Subscriber, hub: HubDep) -> dict:
    """Remove the endpoint and its deliveries (parked ones too); disable it instead to keep its history."""
    return answer(hub.handle(DeleteEndpoint(actor=actor, endpoint_id=str(endpoint_id))))


@router.post("/endpoints/{endpoint_id}/rotate-secret", response_model=RotatedSecretOut)
def rotate_secret(endpoint_id: uuid.UUID, actor: Subscriber, hub: HubDep) -> dict:
    """A new `whsec_` secret, in this answer only; every attempt from now on is signed with it, none with the old."""
    return answer(hub.handle(RotateSecret(actor=actor, endpoint_id=str(endpoint_id))))


@router.get("/deliveries", response_model=DeliveriesOut)
def list_deliveries(actor: Reader, hub: HubDep, state: Annotated[list[str] | None, Query()] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    with hub.uow(write=False) as uow:
        return {"deliveries": queries.list_deliveries(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                                      states=state, limit=limit)}


@router.post("/deliveries/{delivery_id}/retry", response_model=RetriedOut)
def retry_delivery(delivery_id: uuid.UUID, actor: Subscriber, hub: HubDep) -> dict:
    """Send a parked delivery again now, with a fresh count of tries."""
    return answer(hub.handle(RetryDelivery(actor=actor, delivery_id=str(delivery_id))))

"""Order routes: /api/v1/orders (a contract: paths and bodies stay stable)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.kernel.messages import Actor
from flexhub.ordering.commands import CancelOrder, ImportOrder
from flexhub.ordering.errors import UnknownOrder
from flexhub.ordering.queries import find_order_id, order_view
from flexhub.ordering.schemas import OrderIn, OrderOut

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])
Writer = Annotated[Actor, Depends(allowed("orders.write"))]


class CancelIn(BaseModel):
    reason: str = Field(default="cancelled", min_length=1, max_length=200)


class OrderList(BaseModel):
    orders: list[OrderOut]


@router.post("", status_code=201, response_model=OrderOut, responses={200: {"model": OrderOut, "description": "a replay"}})
def import_order(body: OrderIn, actor: Writer, hub: HubDep, response: Response) -> dict:
    """Import a canonical order: 201 when new, 200 when it was already imported (a replay)."""
    imported = hub.handle(ImportOrder(actor=actor, order=body))
    if not imported.created:
        response.status_code = 200
    return _view(hub, actor, imported.order_id)


@router.get("", response_model=OrderList)
def find_orders(
    actor: Reader,
    hub: HubDep,
    channel: Annotated[str, Query(min_length=1, max_length=64)],
    external_id: Annotated[str, Query(min_length=1, max_length=120)],
) -> dict:
    with hub.uow(write=False) as uow:
        try:
            found = find_order_id(uow.connection, actor.tenant_id, channel, external_id, actor.partner_id)
        except UnknownOrder:
            return {"orders": []}
        return {"orders": [order_view(uow.connection, actor.tenant_id, found, partner_id=actor.partner_id)]}


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, order_id)


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: CancelIn | None = None) -> dict:
    reason = body.reason if body else "cancelled"
    hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason=reason))
    return _view(hub, actor, order_id)


def _view(hub: HubDep, actor: Actor, order_id: uuid.UUID) -> dict:
    with hub.uow(write=False) as uow:
        return order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)

"""Order routes: /api/v1/orders (a contract: paths and bodies stay stable)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.errors import error_body
from flexhub.identity import order_as_seen_by
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries
from flexhub.ordering.commands import CancelOrder, EditShippingAddress, ImportOrder, ReleaseOrder
from flexhub.ordering.intake import Imported
from flexhub.ordering.schemas import Address, OrderBatchIn, OrderBatchOut, OrderIn, OrderListOut, OrderOut

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])
WRITE_PERMISSION = "orders.write"
Writer = Annotated[Actor, Depends(allowed(WRITE_PERMISSION))]


class CancelIn(BaseModel):
    reason: str = Field(default="cancelled", min_length=1, max_length=200)


REPLAY = {200: {"model": OrderOut, "description": "already imported: the stored order (a replay)"}}


@router.post("", status_code=201, response_model=OrderOut, responses=REPLAY)
async def import_order(body: OrderIn, actor: Writer, hub: HubDep, response: Response) -> dict:
    """Import a canonical order: 201 when new, 200 when it was already imported (a replay).

    The request waits for the order writer without holding a thread, so concurrent buyers share its batches, and
    answers with the order as the writer read it back for the whole batch. Most such requests are answered before
    they reach here, by the same steps in the fast lane (ordering/lane.py); this route answers the rest."""
    imported = await hub.writer.submit(ImportOrder(actor=actor, order=body, answer_with_order=True))
    if not imported.created:
        response.status_code = 200
    return as_seen(actor, imported)


@router.post(":batch", response_model=OrderBatchOut)
async def import_orders(body: OrderBatchIn, actor: Writer, hub: HubDep) -> dict:
    """Import up to 500 orders at once (a channel or a till catching up): one answer per order, in the
    order sent, each as the single import would give it — `status` 201 with the order, 200 with the stored order
    (a replay), or the error's status with `error` {code, message, details}. An order refused leaves the others
    standing. A body that is not a list of valid orders is refused whole (422), with nothing written."""
    outcomes = await hub.writer.submit_many([ImportOrder(actor=actor, order=order, answer_with_order=True)
                                             for order in body.orders])
    return {"results": [
        {"status": o.status, "error": error_body(o.code, o.message, o.details)}
        if isinstance(o, FlexhubError) else {"status": 201 if o.created else 200,
                                             "order": as_seen(actor, o)}
        for o in outcomes
    ]}


@router.get("", response_model=OrderListOut)
def list_orders(
    actor: Reader,
    hub: HubDep,
    channel: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    external_id: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    status: Annotated[list[str] | None, Query(description="one or more statuses")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict:
    """Find orders: by channel and external id (the channel's own order number), by status, newest first."""
    with hub.uow(write=False) as uow:
        found = queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id, channel=channel,
                                    external_id=external_id, statuses=status, limit=limit)
    return {"orders": [order_as_seen_by(actor.role, order) for order in found]}


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, order_id)


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: CancelIn | None = None) -> dict:
    reason = body.reason if body else "cancelled"
    hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason=reason))
    return _view(hub, actor, order_id)


class ReleaseIn(BaseModel):
    note: str = Field(default="", max_length=500)


@router.post("/{order_id}/release", response_model=OrderOut)
def release_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: ReleaseIn | None = None) -> dict:
    """Release an order held on import (cleaning rules, credit limit): it reserves now, or waits for stock.
    409 `ordering.not_on_hold` when it is not on hold."""
    hub.handle(ReleaseOrder(actor=actor, order_id=str(order_id), note=body.note if body else ""))
    return _view(hub, actor, order_id)


@router.put("/{order_id}/shipping-address", response_model=OrderOut)
def edit_shipping_address(order_id: uuid.UUID, body: Address, actor: Writer, hub: HubDep) -> dict:
    """Correct the shipping address of an order not yet routed. 422 `cleaning.address_refused`, nothing written,
    when the tenant's address rules still find it wrong; stored as they normalise it."""
    hub.handle(EditShippingAddress(actor=actor, order_id=str(order_id),
                                   address=body.model_dump(mode="json", exclude_none=True)))
    return _view(hub, actor, order_id)


def _view(hub: HubDep, actor: Actor, order_id: uuid.UUID) -> dict:
    with hub.uow(write=False) as uow:
        order = queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
    return order_as_seen_by(actor.role, order)


def as_seen(actor: Actor, imported: Imported) -> dict:
    if imported.order is None:  # the writer reads back every order a command asks for
        raise RuntimeError(f"the writer gave order {imported.order_id} without the stored order")
    return order_as_seen_by(actor.role, imported.order)

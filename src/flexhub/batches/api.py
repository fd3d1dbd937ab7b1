"""Batch routes: /api/v1/order-batches — start one (202, worked in the background) and follow it."""

import uuid

from fastapi import APIRouter

from flexhub.api.auth import HubDep, Reader
from flexhub.batches.commands import StartOrderBatch
from flexhub.batches.queries import batch_view
from flexhub.batches.schemas import BatchIn, BatchOut
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/order-batches", tags=["orders"])


@router.post("", response_model=BatchOut, status_code=202)
def start_batch(body: BatchIn, actor: Reader, hub: HubDep) -> dict:
    """Do one action to many orders. Checked whole first (422 `batches.unknown_action`, `batches.bad_selection`;
    403 for a role the action's permission is not granted to; 404 `ordering.unknown_order`), nothing written then;
    each order's own refusal later is its outcome in the batch."""
    started = hub.handle(StartOrderBatch(actor=actor, action=body.action, order_ids=tuple(body.order_ids),
                                         reason=body.reason, carrier=body.carrier))
    return _view(hub, actor, started.id)


@router.get("/{batch_id}", response_model=BatchOut)
def get_batch(batch_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, batch_id)


def _view(hub: HubDep, actor: Actor, batch_id: uuid.UUID) -> dict:
    with hub.uow(write=False) as uow:
        return batch_view(uow.connection, actor.tenant_id, batch_id, partner_id=actor.partner_id)

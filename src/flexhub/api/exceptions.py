"""`GET /api/v1/exceptions`: everything that needs a person, from every capability, in one queue."""

from typing import Annotated

from fastapi import APIRouter, Query

from flexhub.api.auth import HubDep, Reader
from flexhub.channels.queries import open_exceptions
from flexhub.ordering.queries import list_orders

router = APIRouter(prefix="/api/v1/exceptions", tags=["exceptions"])
ORDER_STATUSES = ["awaiting_stock", "exception", "on_hold"]


@router.get("")
def list_exceptions(actor: Reader, hub: HubDep, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    """Orders kept awaiting stock, in exception or on hold; channel messages that could not be imported."""
    with hub.uow(write=False) as uow:
        orders = list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                             statuses=ORDER_STATUSES, limit=limit)
        messages = [] if actor.partner_id else open_exceptions(uow.connection, actor.tenant_id, limit)
    return {"orders": orders, "channel_messages": messages}

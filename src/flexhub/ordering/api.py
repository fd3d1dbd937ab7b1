"""Order routes: /api/v1/orders (a contract: paths and bodies stay stable)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from flexhub import filters
from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.errors import error_body
from flexhub.identity import may, order_as_seen_by, tenant_time_zone
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.kernel.zones import zone
from flexhub.lists import FORMATS, every_row, export_response, page_of
from flexhub.ordering import queries
from flexhub.ordering.commands import CancelOrder, EditShippingAddress, HoldOrder, ImportOrder, ReleaseOrder
from flexhub.ordering.intake import Imported
from flexhub.ordering.list_filters import given_over, search_of
from flexhub.ordering.order_export import export_header, export_row
from flexhub.ordering.queries import SORTS, OrderSearch, order_list
from flexhub.ordering.schemas import Address, OrderBatchIn, OrderBatchOut, OrderIn, OrderListOut, OrderOut

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])
WRITE_PERMISSION = "orders.write"
Writer = Annotated[Actor, Depends(allowed(WRITE_PERMISSION))]


class CancelIn(BaseModel):
    reason: str = Field(default="cancelled", min_length=1, max_length=200)


@dataclass(frozen=True)
class OrdersAsked:
    """An orders list request: what it searches and the sort it asks for (a saved filter's, unless given)."""

    search: OrderSearch
    sort: str | None


def orders_asked(
    actor: Reader, hub: HubDep,
    filter: Annotated[uuid.UUID | None, Query(description=(  # noqa: A002 (the API's word)
        "a saved filter of the orders list (/api/v1/saved-filters) by its id; the filters given beside it win over "
        "its own. 404 filters.unknown_filter for one the caller does not see, 422 filters.another_list for one "
        "saved for another list"))] = None,
    channel: Annotated[list[str] | None, Query(description="one or more channel codes")] = None,
    external_id: Annotated[str | None, Query(min_length=1, max_length=120, description="the order number")] = None,
    status: Annotated[list[str] | None, Query(description="one or more statuses")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=64, description=(
        "words, any case and order, each found in the order number, a SKU code, a product name or (for a role that "
        "sees buyers' phones) the phone's last digits"))] = None,
    phone_ending: Annotated[str | None, Query(pattern=r"^\d{3,11}$", description=(
        "the buyer phone's last digits; 403 ordering.phone_search_forbidden for a role that may not see phones"))]
    = None,
    since: Annotated[datetime | None, Query(description="received at or after")] = None,
    until: Annotated[datetime | None, Query(description="received before")] = None,
    sort: Annotated[str | None, Query(description=f"one of {', '.join(SORTS)}; a leading - sorts descending "
                                                  "(default -created_at)")] = None,
) -> OrdersAsked:
    personal = may(actor.role, "personal_data.read")
    given = OrderSearch(channels=tuple(channel or ()), statuses=tuple(status or ()), external_id=external_id, text=q,
                        phone_ending=phone_ending, personal=personal, since=since and clock.as_utc(since),
                        until=until and clock.as_utc(until), partner_id=actor.partner_id)
    if filter is None:
        return OrdersAsked(given, sort)
    with hub.uow(write=False) as uow:  # the saved filter's days are days in the tenant's zone, as on its page
        saved = filters.applied(uow.connection, actor, "orders", filter, {})
        where = zone(tenant_time_zone(uow.connection, actor.tenant_id) or "UTC")
    search = search_of(saved, personal=personal, partner_id=actor.partner_id, where=where)
    return OrdersAsked(given_over(search, given), sort or saved.get("sort"))


Asked = Annotated[OrdersAsked, Depends(orders_asked)]


REPLAY: dict[int | str, dict[str, Any]] = {
    200: {"model": OrderOut, "description": "already imported: the stored order (a replay)"},
}


@router.post("", status_code=201, response_model=OrderOut, responses=REPLAY)
async def import_order(body: OrderIn, actor: Writer, hub: HubDep, response: Response) -> dict[str, Any]:
    """Import a canonical order: 201 when new, 200 when it was already imported (a replay).

    The request waits for the order writer without holding a thread, so concurrent buyers share its batches, and
    answers with the order as the writer read it back for the whole batch. Most such requests are answered before
    they reach here, by the same steps in the fast lane (api/order_lane.py); this route answers the rest."""
    imported = await hub.writer.submit(ImportOrder(actor=actor, order=body, answer_with_order=True))
    if not imported.created:
        response.status_code = 200
    return as_seen(actor, imported)


@router.post(":batch", response_model=OrderBatchOut)
async def import_orders(body: OrderBatchIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
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
def list_orders(actor: Reader, hub: HubDep, asked: Asked,
                cursor: Annotated[str | None, Query(max_length=400, description="`next_cursor` of the page before")]
                = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """Find orders, a page at a time: by channel, status, order number, words of the order number, a SKU or a
    product name (or the phone's ending), the buyer's phone ending and dates; newest first unless `sort` says
    otherwise. Each page has the total and the cursor of the next; each order its SKUs and the nodes whose stock it
    holds or shipped from. `filter` applies a saved filter of the orders list by its id."""
    with hub.uow(write=False) as uow:
        found = page_of(uow.connection, order_list(actor.tenant_id, asked.search), sort=asked.sort, cursor=cursor,
                        limit=limit)
    return {"orders": [order_as_seen_by(actor.role, order) for order in found.items], "total": found.total,
            "next_cursor": found.next_cursor, "sort": found.sort.text, "near": found.near}


@router.get("/export", response_class=StreamingResponse,
            responses={200: {"content": {media: {} for media in FORMATS.values()},
                             "description": "every order the filters match, as a file"}})
def export_orders(actor: Reader, hub: HubDep, asked: Asked,
                  format: Annotated[str, Query(description="csv or xlsx")] = "csv") -> StreamingResponse:
    """Every order the same filters as the list match (a saved filter's too), streamed as CSV or an Excel workbook
    (buyers masked as the key's role sees them)."""
    spec, sort = order_list(actor.tenant_id, asked.search), asked.sort
    spec.sort_order(sort)  # a bad sort is refused before the answer starts
    with hub.uow(write=False) as uow:
        where = zone(tenant_time_zone(uow.connection, actor.tenant_id) or "UTC")
    rows = (export_row(order_as_seen_by(actor.role, order), where)
            for order in every_row(hub.engine.connect, spec, sort=sort))
    return export_response(format, "orders", export_header(where), rows)


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict[str, Any]:
    return _view(hub, actor, order_id)


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: CancelIn | None = None) -> dict[str, Any]:
    reason = body.reason if body else "cancelled"
    hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason=reason))
    return _view(hub, actor, order_id)


class ReleaseIn(BaseModel):
    note: str = Field(default="", max_length=500)


@router.post("/{order_id}/release", response_model=OrderOut)
def release_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: ReleaseIn | None = None) -> dict[str, Any]:
    """Release an order held on import (cleaning rules, credit limit): it reserves now, or waits for stock.
    409 `ordering.not_on_hold` when it is not on hold."""
    hub.handle(ReleaseOrder(actor=actor, order_id=str(order_id), note=body.note if body else ""))
    return _view(hub, actor, order_id)


class HoldIn(BaseModel):
    reason: str = Field(default="held by a person", min_length=1, max_length=500)


@router.post("/{order_id}/hold", response_model=OrderOut)
def hold_order(order_id: uuid.UUID, actor: Writer, hub: HubDep, body: HoldIn | None = None) -> dict[str, Any]:
    """Hold an order before a node starts on it: the stock it held goes back, and it waits on_hold until released
    or cancelled. 409 `ordering.invalid_transition` once picking, `ordering.has_shipments` with a parcel open."""
    hub.handle(HoldOrder(actor=actor, order_id=str(order_id), reason=body.reason if body else "held by a person"))
    return _view(hub, actor, order_id)


@router.put("/{order_id}/shipping-address", response_model=OrderOut)
def edit_shipping_address(order_id: uuid.UUID, body: Address, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """Correct the shipping address of an order not yet routed. 422 `cleaning.address_refused`, nothing written,
    when the tenant's address rules still find it wrong; stored as they normalise it."""
    hub.handle(EditShippingAddress(actor=actor, order_id=str(order_id),
                                   address=body.model_dump(mode="json", exclude_none=True)))
    return _view(hub, actor, order_id)


def _view(hub: HubDep, actor: Actor, order_id: uuid.UUID) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        order = queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
    return order_as_seen_by(actor.role, order)


def as_seen(actor: Actor, imported: Imported) -> dict[str, Any]:
    if imported.order is None:  # the writer reads back every order a command asks for
        raise RuntimeError(f"the writer gave order {imported.order_id} without the stored order")
    return order_as_seen_by(actor.role, imported.order)

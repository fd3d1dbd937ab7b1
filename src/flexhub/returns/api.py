"""Return routes: create an RMA, receive it, inspect it; defect counts per SKU; the regional returns centres."""

import uuid
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import FILE, ExportDep, PageFrame, PagingDep, exported, listed
from flexhub.kernel.messages import Actor
from flexhub.returns import queries
from flexhub.returns.commands import CreateReturn, InspectReturn, ReceiveReturn, SetReturnsCentres
from flexhub.returns.queries import return_list
from flexhub.returns.return_export import return_columns
from flexhub.returns.schemas import InspectIn, ReceiveIn, ReturnIn, ReturnOut, ReturnsCentresIn

router = APIRouter(prefix="/api/v1/returns", tags=["returns"])
Writer = Annotated[Actor, Depends(allowed("inventory.write"))]
Admin = Annotated[Actor, Depends(allowed("channels.write"))]
Viewer = Annotated[Actor, Depends(allowed("routing.read"))]  # staff only: defects and returns centres
Opener = Annotated[Actor, Depends(allowed("returns.open"))]  # staff, or a reseller for its own orders


class ReturnListOut(PageFrame):
    returns: list[dict[str, Any]]


@router.get("", response_model=ReturnListOut)
def list_returns(actor: Reader, hub: HubDep, paging: PagingDep,
                 state: Annotated[list[str] | None, Query(description="open, received, inspected")] = None,
                 source: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """RMAs a page at a time (a partner's key: those of its own orders), newest first unless `sort` (created_at,
    state) says otherwise."""
    spec = return_list(actor.tenant_id, states=state or (), source=source, partner_id=actor.partner_id)
    with hub.uow(write=False) as uow:
        return listed(uow.connection, spec, paging, "returns")


@router.get("/export", response_class=StreamingResponse, responses=FILE)
def export_returns(actor: Reader, hub: HubDep, options: ExportDep,
                   state: Annotated[list[str] | None, Query(description="open, received, inspected")] = None,
                   source: Annotated[str | None, Query(max_length=64)] = None) -> StreamingResponse:
    """Every RMA the same filters as the list match, as CSV or an Excel workbook (`format`), streamed."""
    spec = return_list(actor.tenant_id, states=state or (), source=source, partner_id=actor.partner_id)
    return exported(hub, actor, spec, options, "returns", return_columns)


@router.post("", status_code=201, response_model=ReturnOut)
def create_return(body: ReturnIn, actor: Opener, hub: HubDep) -> dict:
    """Open an RMA. A reseller opens one for its own order only (`order_id`; another's is 404
    `ordering.unknown_order`), naming neither a channel's refund request nor a returns centre."""
    created = hub.handle(CreateReturn(actor=actor, **body.model_dump()))
    return _view(hub, actor, created.id)


@router.get("/defects")
def defects(actor: Viewer, hub: HubDep) -> list[dict]:
    """Per SKU: units returned, graded refurbish and scrap, and its supplier."""
    with hub.uow(write=False) as uow:
        return queries.defect_counts(uow.connection, actor.tenant_id)


@router.get("/defects/suppliers")
def defects_by_supplier(actor: Viewer, hub: HubDep) -> list[dict]:
    """Per supplier (each SKU's best-ranked one): units returned, graded refurbish and scrap, worst first."""
    with hub.uow(write=False) as uow:
        return queries.defect_counts_by_supplier(uow.connection, actor.tenant_id)


@router.get("/centres")
def returns_centres(actor: Viewer, hub: HubDep) -> dict:
    """Region (province, country or "*") → the node receiving RMAs that name none."""
    with hub.uow(write=False) as uow:
        return {"centres": queries.returns_centres(uow.connection, actor.tenant_id)}


@router.put("/centres")
def set_returns_centres(body: ReturnsCentresIn, actor: Admin, hub: HubDep) -> dict:
    return asdict(hub.handle(SetReturnsCentres(actor=actor, centres=body.centres)))


@router.get("/{return_id}", response_model=ReturnOut)
def get_return(return_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, return_id)


@router.post("/{return_id}/receive", response_model=ReturnOut)
def receive(return_id: uuid.UUID, body: ReceiveIn, actor: Writer, hub: HubDep) -> dict:
    hub.handle(ReceiveReturn(actor=actor, return_id=str(return_id), node=body.node, received=body.received))
    return _view(hub, actor, return_id)


@router.post("/{return_id}/inspect", response_model=ReturnOut)
def inspect(return_id: uuid.UUID, body: InspectIn, actor: Writer, hub: HubDep) -> dict:
    hub.handle(InspectReturn(actor=actor, return_id=str(return_id), grades=body.grades))
    return _view(hub, actor, return_id)


def _view(hub: HubDep, actor: Actor, return_id: uuid.UUID) -> dict:
    with hub.uow(write=False) as uow:
        return queries.return_view(uow.connection, actor.tenant_id, return_id, partner_id=actor.partner_id)

"""The dashboard's ERP page: each connection's last sync, backlog and parked documents; one connection's failing
documents with their reasons (retried from here), its unmapped queue and its conflicts. Staff only."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.erp import queries
from flexhub.erp.commands import RetryDocument
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)


@router.get("/erp", response_class=HTMLResponse)
def connections(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    require(actor, "brand.read")
    with hub.uow(write=False) as uow:
        found = [queries.status(uow.connection, actor.tenant_id, c["code"], limit=0)
                 for c in queries.connections(uow.connection, actor.tenant_id)]
    return page(request, "erp.html", actor, connections=found, connection=None)


@router.get("/erp/{code}", response_class=HTMLResponse)
def connection(code: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    require(actor, "brand.read")
    with hub.uow(write=False) as uow:
        status = queries.status(uow.connection, actor.tenant_id, code)
        mappings = [m for m in queries.mappings(uow.connection, actor.tenant_id, code) if not m["mapped"]]
        conflicts = queries.conflicts(uow.connection, actor.tenant_id, code)
    return page(request, "erp.html", actor, connections=[status], connection=status, unmapped=mappings,
                conflicts=conflicts)


@router.post("/erp/{code}/documents/{document_id}/retry")
def retry(code: str, document_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    require(actor, "erp.write")
    hub.handle(RetryDocument(actor=actor, code=code, document_id=str(document_id)))
    return RedirectResponse(f"/erp/{code}", status_code=303)

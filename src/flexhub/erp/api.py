"""ERP routes: /api/v1/erp — connections (credentials sealed, never answered), their status, documents,
mappings with the unmapped queue, conflicts, and the retry of a parked document."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.erp import queries, rules
from flexhub.erp.commands import CreateConnection, MapRecord, RetryDocument, SyncConnection
from flexhub.erp.schemas import (
    ConflictsOut,
    ConnectionIn,
    ConnectionOut,
    ConnectionsOut,
    DocumentsOut,
    MappingIn,
    MappingsOut,
    RetriedOut,
    StatusOut,
    SyncedOut,
)
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer

router = APIRouter(prefix="/api/v1/erp", tags=["erp"])
Staff = Annotated[Actor, Depends(allowed("brand.read"))]
Configurer = Annotated[Actor, Depends(allowed("erp.configure"))]
Operator = Annotated[Actor, Depends(allowed("erp.write"))]


@router.post("/connections", status_code=201, response_model=ConnectionOut)
def create_connection(body: ConnectionIn, actor: Configurer, hub: HubDep) -> dict:
    """Connect an ERP; its credentials are sealed and never answered."""
    fields = body.model_dump()
    credentials = {name: fields[name] for name in rules.CREDENTIALS[body.kind] if fields.get(name) is not None}
    return answer(hub.handle(CreateConnection(actor=actor, code=body.code, kind=body.kind, url=str(body.url),
                                              credentials=credentials, settings=body.settings,
                                              allow_private=body.allow_private)))


@router.get("/connections", response_model=ConnectionsOut)
def list_connections(actor: Staff, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return {"connections": queries.connections(uow.connection, actor.tenant_id)}


@router.get("/connections/{code}/status", response_model=StatusOut)
def connection_status(code: str, actor: Staff, hub: HubDep) -> dict:
    """The last sync, the documents waiting (backlog) and the errors of those that failed, with their reasons."""
    with hub.uow(write=False) as uow:
        return queries.status(uow.connection, actor.tenant_id, code)


@router.get("/connections/{code}/documents", response_model=DocumentsOut)
def list_documents(code: str, actor: Staff, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return {"documents": queries.documents(uow.connection, actor.tenant_id, code)}


@router.post("/connections/{code}/documents/{document_id}/retry", response_model=RetriedOut)
def retry_document(code: str, document_id: uuid.UUID, actor: Operator, hub: HubDep) -> dict:
    """Send a parked document again now, with a fresh count of tries."""
    return answer(hub.handle(RetryDocument(actor=actor, code=code, document_id=str(document_id))))


@router.post("/connections/{code}/sync", response_model=SyncedOut)
def sync_connection(code: str, actor: Operator, hub: HubDep) -> dict:
    """Send what waits for the ERP and read what changed there, now."""
    return answer(hub.handle(SyncConnection(actor=actor, code=code)))


@router.get("/connections/{code}/mappings", response_model=MappingsOut)
def list_mappings(code: str, actor: Staff, hub: HubDep) -> dict:
    """Hub codes ↔ ERP records; a row missing one side (`mapped` false) waits in the unmapped queue."""
    with hub.uow(write=False) as uow:
        return {"mappings": queries.mappings(uow.connection, actor.tenant_id, code)}


@router.post("/connections/{code}/mappings", response_model=MappingsOut)
def map_record(code: str, body: MappingIn, actor: Operator, hub: HubDep) -> dict:
    hub.handle(MapRecord(actor=actor, code=code, kind=body.kind, hub_code=body.hub_code, erp_ref=body.erp_ref))
    with hub.uow(write=False) as uow:
        return {"mappings": queries.mappings(uow.connection, actor.tenant_id, code)}


@router.get("/connections/{code}/conflicts", response_model=ConflictsOut)
def list_conflicts(code: str, actor: Staff, hub: HubDep) -> dict:
    """Fields the ERP changed that the hub owns: shown here, never written over the hub's value."""
    with hub.uow(write=False) as uow:
        return {"conflicts": queries.conflicts(uow.connection, actor.tenant_id, code)}

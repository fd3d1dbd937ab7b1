"""Identity routes: partners, API keys and users of the caller's tenant, and users' sessions (admins only)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.identity.commands import (
    ApiKeyCreated,
    CreateApiKey,
    CreatePartner,
    CreateUser,
    PartnerCreated,
    RevokeSessions,
    SessionsRevoked,
    SetTimeZone,
    TimeZoneSet,
    UserCreated,
)
from flexhub.identity.queries import tenant_time_zone
from flexhub.identity.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    PartnerIn,
    PartnerOut,
    SessionsRevokedOut,
    TenantSettingsIn,
    TenantSettingsOut,
    UserIn,
    UserOut,
)
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer

router = APIRouter(prefix="/api/v1", tags=["identity"])
Admin = Annotated[Actor, Depends(allowed("identity.write"))]


@router.post("/partners", status_code=201, response_model=PartnerOut)
def create_partner(body: PartnerIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    created: PartnerCreated = hub.handle(CreatePartner(actor=actor, **body.model_dump()))
    return {**answer(created), "id": str(created.id)}


@router.post("/keys", status_code=201, response_model=ApiKeyOut)
def create_key(body: ApiKeyIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    created: ApiKeyCreated = hub.handle(CreateApiKey(actor=actor, **body.model_dump()))
    return {**answer(created), "id": str(created.id)}


@router.post("/users", status_code=201, response_model=UserOut)
def create_user(body: UserIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    created: UserCreated = hub.handle(CreateUser(actor=actor, **body.model_dump()))
    return {**answer(created), "id": str(created.id)}


@router.delete("/users/{user_id}/sessions", response_model=SessionsRevokedOut)
def revoke_sessions(user_id: uuid.UUID, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """Signs the user out of the dashboard in every browser at once (a lost laptop, a leaver); audited."""
    revoked: SessionsRevoked = hub.handle(RevokeSessions(actor=actor, user_id=str(user_id)))
    return {**answer(revoked), "user_id": str(revoked.user_id)}


@router.get("/tenant/settings", response_model=TenantSettingsOut)
def tenant_settings(actor: Reader, hub: HubDep) -> dict[str, Any]:
    """The tenant's time zone, in which pages and exports show times and the pages' date filters read days."""
    with hub.uow(write=False) as uow:
        return {"time_zone": tenant_time_zone(uow.connection, actor.tenant_id)}


@router.put("/tenant/settings", response_model=TenantSettingsOut)
def set_tenant_settings(body: TenantSettingsIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """An unknown zone is refused with 422 `identity.unknown_time_zone`, nothing written; audited."""
    done: TimeZoneSet = hub.handle(SetTimeZone(actor=actor, time_zone=body.time_zone))
    return {"time_zone": done.time_zone}

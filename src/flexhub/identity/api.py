"""Identity routes: partners, API keys and users of the caller's tenant, and users' sessions (admins only)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.identity.commands import (
    ApiKeyCreated,
    CreateApiKey,
    CreatePartner,
    CreateUser,
    PartnerCreated,
    RevokeSessions,
    SessionsRevoked,
    UserCreated,
)
from flexhub.identity.schemas import (
    ApiKeyIn,
    ApiKeyOut,
    PartnerIn,
    PartnerOut,
    SessionsRevokedOut,
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

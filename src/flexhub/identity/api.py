"""Identity routes: partners, API keys and users of the caller's tenant (admins only)."""

from typing import Annotated

from fastapi import APIRouter, Depends

from flexhub.api.auth import HubDep, allowed
from flexhub.identity.commands import CreateApiKey, CreatePartner, CreateUser
from flexhub.identity.schemas import ApiKeyIn, ApiKeyOut, PartnerIn, PartnerOut, UserIn, UserOut
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1", tags=["identity"])
Admin = Annotated[Actor, Depends(allowed("identity.write"))]


@router.post("/partners", status_code=201, response_model=PartnerOut)
def create_partner(body: PartnerIn, actor: Admin, hub: HubDep) -> dict:
    created = hub.handle(CreatePartner(actor=actor, **body.model_dump()))
    return {**created, "id": str(created["id"])}


@router.post("/keys", status_code=201, response_model=ApiKeyOut)
def create_key(body: ApiKeyIn, actor: Admin, hub: HubDep) -> dict:
    created = hub.handle(CreateApiKey(actor=actor, **body.model_dump()))
    return {**created, "id": str(created["id"])}


@router.post("/users", status_code=201, response_model=UserOut)
def create_user(body: UserIn, actor: Admin, hub: HubDep) -> dict:
    created = hub.handle(CreateUser(actor=actor, **body.model_dump()))
    return {**created, "id": str(created["id"])}

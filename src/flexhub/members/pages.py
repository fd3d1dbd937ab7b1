"""The dashboard's member page: points, tier, the member's orders from every channel, points history and coupons;
the phone and name masked for roles without personal data, as in the API."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from flexhub.api.auth import HubDep
from flexhub.members.queries import member_view
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)


@router.get("/members/{member_id}", response_class=HTMLResponse)
def member_page(member_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    require(actor, "members.read")
    with hub.uow(write=False) as uow:
        member = member_view(uow.connection, actor.tenant_id, member_id, actor.role)
    return page(request, "member.html", actor, member=member)

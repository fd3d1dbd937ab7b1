"""Signing in to the dashboard with an API key (form field `api_key`); the key rides in a signed cookie."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.identity.errors import InvalidKey
from flexhub.identity.roles import may
from flexhub.kernel.messages import Actor


class SignInRequired(Exception):
    """Raised by pages when nobody (or an unknown key) is signed in; answered with a redirect."""


def web_actor(request: Request, hub: HubDep) -> Actor:
    token = request.session.get("api_key")
    if not token:
        raise SignInRequired
    try:
        return hub.keyring.actor_for(token, request_id=request.headers.get("x-request-id"))
    except InvalidKey as error:
        request.session.clear()
        raise SignInRequired from error


WebActor = Annotated[Actor, Depends(web_actor)]


def can(actor: Actor, permission: str) -> bool:
    return may(actor.role, permission)


def to_sign_in(request: Request, _: SignInRequired) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

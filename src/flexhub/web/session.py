"""Signing in to the dashboard with an API key (form field `api_key`); the key rides in a signed cookie."""

from typing import Annotated
from urllib.parse import urlencode

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


def local_path(target: str | None) -> str:
    """A path on this site to send the browser back to: "//host/..." and "/\\host/..." would leave it."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def to_sign_in(request: Request, _: SignInRequired) -> RedirectResponse:
    back = f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path
    return RedirectResponse(f"/login?{urlencode({'next': back})}", status_code=303)

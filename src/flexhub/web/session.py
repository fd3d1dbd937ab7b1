"""Who is signed in to the dashboard: an API key (form field `api_key`) or a user, kept in a signed cookie.

A key's session holds the key (checked on every request, so a revoked key signs out); a user's session holds
the user's id (looked up on every request, so a disabled user signs out). Never a password."""

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.identity.errors import InvalidKey
from flexhub.identity.roles import may
from flexhub.identity.signin import signed_in_actor
from flexhub.kernel.errors import Forbidden
from flexhub.kernel.messages import Actor


class SignInRequired(Exception):
    """Raised by pages when nobody (or an unknown key) is signed in; answered with a redirect."""


def web_actor(request: Request, hub: HubDep) -> Actor:
    if user_id := request.session.get("user_id"):
        return _user_actor(request, hub, user_id)
    token = request.session.get("api_key")
    if not token:
        raise SignInRequired
    try:
        return hub.keyring.actor_for(token, request_id=request.headers.get("x-request-id"))
    except InvalidKey as error:
        request.session.clear()
        raise SignInRequired from error


def _user_actor(request: Request, hub: HubDep, user_id: str) -> Actor:
    try:
        wanted = uuid.UUID(user_id)
    except ValueError as error:
        request.session.clear()
        raise SignInRequired from error
    with hub.uow(write=False) as uow:
        actor = signed_in_actor(uow.connection, wanted, request_id=request.headers.get("x-request-id"))
    if actor is None:
        request.session.clear()
        raise SignInRequired
    return actor


WebActor = Annotated[Actor, Depends(web_actor)]


def start_session(request: Request, **signed_in: str) -> None:
    """A fresh session for whoever just signed in (the language chosen before is kept)."""
    locale = request.session.get("locale")
    request.session.clear()
    request.session.update(signed_in)
    if locale:
        request.session["locale"] = locale


def can(actor: Actor, permission: str) -> bool:
    return may(actor.role, permission)


def require(actor: Actor, permission: str) -> None:
    """What a role may not do is not shown; posted anyway, it is refused here with 403 `auth.forbidden`."""
    if not may(actor.role, permission):
        raise Forbidden(f"the {actor.role} role may not do this")


def local_path(target: str | None) -> str:
    """A path on this site to send the browser back to: "//host/..." and "/\\host/..." would leave it."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def to_sign_in(request: Request, _: SignInRequired) -> RedirectResponse:
    back = f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path
    return RedirectResponse(f"/login?{urlencode({'next': back})}", status_code=303)

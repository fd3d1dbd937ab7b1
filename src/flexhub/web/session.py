"""Who is signed in to the dashboard: a user (login and password) or an API key (form field `api_key`), in a
session kept on the server (identity/sessions.py) whose random id is the only thing the cookie holds.

Each page looks the session up, so signing out, an admin's revoking, a disabled user or a revoked key signs the
browser out at its next page, and so would a copy of the cookie. Never a password, never a key in the cookie."""

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from flexhub.api.auth import HubDep, request_id
from flexhub.identity.roles import may
from flexhub.identity.sessions import SignedIn
from flexhub.kernel.errors import Forbidden
from flexhub.kernel.messages import Actor
from flexhub.web.cookies import SESSION, cookies


class SignInRequired(Exception):
    """Raised by pages when nobody (or an unknown key) is signed in; answered with a redirect."""


def signed_in(request: Request, hub: HubDep) -> SignedIn:
    jar = cookies(request)
    token = jar.get(SESSION)
    found = hub.sessions.signed_in(token, request_id=request_id(request)) if token else None
    if found is None:
        if token:
            jar.remove(SESSION)  # revoked, lapsed or unknown: the browser forgets it too
        raise SignInRequired
    request.state.time_zone = found.time_zone  # the page shows times in it (labels.zone_of)
    return found


def web_actor(session: Annotated[SignedIn, Depends(signed_in)]) -> Actor:
    return session.actor


WebSession = Annotated[SignedIn, Depends(signed_in)]
WebActor = Annotated[Actor, Depends(web_actor)]


def start_session(request: Request, hub: HubDep, *, tenant_id: uuid.UUID, user_id: uuid.UUID | None = None,
                  api_key_id: uuid.UUID | None = None) -> None:
    """A new session (a new id) for whoever just signed in; the one this browser held before is ended."""
    end_session(request, hub)
    token = hub.sessions.start(tenant_id=tenant_id, user_id=user_id, api_key_id=api_key_id)
    cookies(request).set(SESSION, token, int(hub.sessions.absolute.total_seconds()))


def end_session(request: Request, hub: HubDep) -> None:
    jar = cookies(request)
    if token := jar.get(SESSION):
        hub.sessions.end(token, request_id=request_id(request))
        jar.remove(SESSION)


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

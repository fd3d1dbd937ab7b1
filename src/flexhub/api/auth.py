"""Who is asking: `Authorization: Bearer <key>` becomes an Actor; each route names the permission it needs.

The dependencies are coroutines: a key verified within the key ring's cache is found on the event loop, so an async
route (POST /api/v1/orders) is answered without handing the request to a thread; only a key not seen lately is looked
up in the database, on a thread."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from flexhub.bootstrap import Hub
from flexhub.identity.errors import InvalidKey, RoleForbidden
from flexhub.identity.roles import may
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor
from flexhub.ops.requests import REQUEST_ID_MAX, SCOPE_KEY

bearer = HTTPBearer(auto_error=False, description="an API key: `fhk_<prefix>_<secret>`")


async def get_hub(request: Request) -> Hub:
    return request.app.state.hub


def request_id(request: Request) -> str:
    """The id the request-id middleware gave the request (ops.requests), which its log lines carry; an app without
    that middleware (a test's) takes the caller's, cut to the audit log's width, or makes one."""
    given: str | None = request.scope.get(SCOPE_KEY)
    return given or request.headers.get("x-request-id", "")[:REQUEST_ID_MAX] or str(new_id())


async def current_actor(
    request: Request,
    hub: Annotated[Hub, Depends(get_hub)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    if credentials is None:
        raise InvalidKey("send an API key as `Authorization: Bearer <key>`")
    token, rid = credentials.credentials, request_id(request)
    actor = hub.keyring.cached_actor(token, rid)
    return actor if actor is not None else await to_thread.run_sync(hub.keyring.actor_for, token, rid)


def allowed(permission: str) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if not may(actor.role, permission):
            raise RoleForbidden(f"the {actor.role} role may not do this ({permission})")
        return actor

    return check


Reader = Annotated[Actor, Depends(allowed("read"))]
HubDep = Annotated[Hub, Depends(get_hub)]

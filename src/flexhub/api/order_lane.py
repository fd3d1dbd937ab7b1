"""The fast lane for `POST /api/v1/orders`, as pure ASGI middleware: an import it is sure of is answered without
FastAPI's routing, dependency solving and request objects, which cost most of an API process's CPU per order.

It answers only a request the route would take: a JSON body that is a valid order, from an API key verified
within the key ring's cache whose role may write orders. Anything else (no key, a key not seen lately, a role
that may not, a body that is not JSON or not an order, another content type) goes on to the route unchanged,
which answers or refuses it with its own codes. What it answers is what the route would: the same command to the
order writer, the order as the role may see it, serialized by the route's response model, a refusal from the
writer as every error is (`api.errors.error_body`)."""

import json
from typing import Any

import pydantic_core
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from flexhub.api.auth import request_id
from flexhub.api.buffered import read_whole, replaying
from flexhub.api.errors import error_response
from flexhub.bootstrap import Hub
from flexhub.identity import may
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.kernel.text import KNOWN_STORABLE, known_storable
from flexhub.ops.requests import SCOPE_KEY
from flexhub.ordering.api import WRITE_PERMISSION, as_seen
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.schemas import OrderIn, OrderLineOut, OrderOut, ReservationOut

PATH = "/api/v1/orders"
JSON_TYPES = ("application/json", "application/json; charset=utf-8")
ORDER_OUT = TypeAdapter(OrderOut)  # what FastAPI serializes the route's response model with
STORABLE = {KNOWN_STORABLE: True}  # the validation context of a body checked whole (kernel.text.known_storable)
ORDER_FIELDS, LINE_FIELDS, RESERVATION_FIELDS = (tuple(model.model_fields)
                                                 for model in (OrderOut, OrderLineOut, ReservationOut))


class OrderLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        messages, body = await read_whole(receive)
        answer = await self._answer(scope, body) if messages[-1]["type"] == "http.request" else None
        await (answer or self.app)(scope, replaying(messages, receive), send)

    async def _answer(self, scope: Scope, body: bytes) -> Response | None:
        actor, order = self._taken(scope, body)
        if actor is None or order is None:
            return None
        try:
            imported = await _hub(scope).writer.submit(ImportOrder(actor=actor, order=order, answer_with_order=True))
        except FlexhubError as refused:
            return error_response(refused.status, refused.code, refused.message, refused.details)
        content = order_json(as_seen(actor, imported))
        return Response(content, status_code=201 if imported.created else 200, media_type="application/json")

    def _taken(self, scope: Scope, body: bytes) -> tuple[Actor | None, OrderIn | None]:
        """Who asks and the order, when the route would take both as they are; else (None, None)."""
        authorization, content_type = _headers(scope)
        scheme, token = get_authorization_scheme_param(authorization)
        if scheme.lower() != "bearer" or not token or content_type not in JSON_TYPES:
            return None, None
        actor = _hub(scope).keyring.cached_actor(token, scope.get(SCOPE_KEY) or request_id(Request(scope)))
        if actor is None or not may(actor.role, WRITE_PERMISSION):
            return None, None
        return actor, order_in(body)


def order_in(body: bytes) -> OrderIn | None:
    """The order the route would take from this body (it reads it with json.loads, then validates), or None for
    one it would refuse: not UTF-8, not JSON, or not an order (the route says why). A body known storable is read
    by pydantic's own JSON parser, 12 against 19 us an order: no dict of the body made first, then walked."""
    try:
        decoded = body.decode("utf-8")
        if known_storable(decoded):
            return OrderIn.model_validate_json(decoded, context=STORABLE)
        return OrderIn.model_validate(json.loads(decoded))
    except (ValueError, ValidationError):
        return None


def order_json(order: dict[str, Any]) -> bytes:
    """The order as the route's response model serializes it. One with the model's fields in its order, its lines' and
    reservations' too (what the writer answers with), is serialized as it is: validating what the writer built to
    the model's shape was a tenth of the lane's CPU and changed nothing (tests/api/test_order_lane.py)."""
    if (tuple(order) == ORDER_FIELDS and all(tuple(line) == LINE_FIELDS for line in order["lines"])
            and all(tuple(held) == RESERVATION_FIELDS for held in order["reservations"])):
        return pydantic_core.to_json(order)
    return ORDER_OUT.dump_json(ORDER_OUT.validate_python(order))


def _headers(scope: Scope) -> tuple[str | None, str | None]:
    """The request's first Authorization and Content-Type, as Starlette's `Request.headers` reads them (ASGI gives
    header names in lower case), in one pass over the headers."""
    authorization = content_type = None
    for name, value in scope["headers"]:
        if name == b"authorization" and authorization is None:
            authorization = value.decode("latin-1")
        elif name == b"content-type" and content_type is None:
            content_type = value.decode("latin-1")
    return authorization, content_type


def _hub(scope: Scope) -> Hub:
    hub: Hub = scope["app"].state.hub  # the app's, per request: an app can be bound to another hub (api.app.bind)
    return hub

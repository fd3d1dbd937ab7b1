"""The fast lane for `POST /webhooks/{platform}/{channel_code}`, as pure ASGI middleware: a channel's webhook goes to
the receipt desk and is answered without FastAPI's routing, dependencies and request objects, which were half of a
serving process's CPU per webhook (py-spy, `bench inbound`).

It answers every such webhook, and as the route does (channels/webhooks.py), from the same desk: the kept message's
id, or the error refusing it (a bad signature, a stale or replayed push, an unknown platform or channel, a body that
is not UTF-8), nothing of it kept. The size limit and the NUL check stay RequestLimits' (outside); a client that
went away before its body arrived is left to the route, as is every other method and path."""

import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from flexhub.api.buffered import read_whole, replaying
from flexhub.api.errors import error_response
from flexhub.bootstrap import Hub
from flexhub.channels.receipt import Receipt
from flexhub.channels.webhooks import received, signals_of
from flexhub.kernel.errors import FlexhubError

PATH = re.compile(r"/webhooks/([^/]+)/([^/]+)")  # the route's path: a path parameter is one segment, never empty


class WebhookLane:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = PATH.fullmatch(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if path is None:
            await self.app(scope, receive, send)
            return
        messages, body = await read_whole(receive)
        if messages[-1]["type"] != "http.request":
            await self.app(scope, replaying(messages, receive), send)
            return
        platform, code = path.groups()
        request = Request(scope)
        hub: Hub = request.app.state.hub  # the app's, read per request (as the routes' dependency reads it)
        try:
            kept = await hub.receipts.receive(Receipt(platform, code, signals_of(request), body))
        except FlexhubError as refused:
            answer = error_response(refused.status, refused.code, refused.message, refused.details)
        else:
            answer = JSONResponse(received(kept))
        await answer(scope, receive, send)

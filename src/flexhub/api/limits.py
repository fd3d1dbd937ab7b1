"""Refuse, before anything is parsed or stored, what a request may not carry: a body over the size
limit (413), and U+0000 anywhere in its path, query, JSON or form body (422: PostgreSQL cannot store it)."""

import json
import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A JSON `\u0000` escape, not preceded by an escaped backslash (`\\u0000` is the six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class RequestLimits:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _refuse(send, 413, "request.too_large", f"the body is larger than {self.max_bytes} bytes")
            return
        # Read the whole body here: a limit hit while the app parses it would surface as a parse error.
        messages, body = await self._read_body(receive)
        if messages is None:
            await _refuse(send, 413, "request.too_large", f"the body is larger than {self.max_bytes} bytes")
            return
        if _carries_nul(scope, body):
            await _refuse(send, 422, "request.invalid", "text may not contain the NUL character (U+0000)")
            return
        pending = iter(messages)

        async def replay() -> Message:
            return next(pending, None) or await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> tuple[list[Message] | None, bytes]:
        """The messages to replay to the app and the body they carry; None when over the limit."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away; let the app see it
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return None, b""
            if not message.get("more_body", False):
                break
        return messages, b"".join(m.get("body", b"") for m in messages)


def _carries_nul(scope: Scope, body: bytes) -> bool:
    path = scope.get("raw_path") or scope.get("path", "").encode()
    form = dict(scope.get("headers", [])).get(b"content-type", b"").startswith(b"application/x-www-form-urlencoded")
    return (
        b"\x00" in unquote_to_bytes(path)
        or b"\x00" in unquote_to_bytes(scope.get("query_string", b""))
        or JSON_NUL.search(body) is not None
        or (form and b"\x00" in unquote_to_bytes(body))
    )


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

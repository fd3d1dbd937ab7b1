"""Refuse, before anything is parsed or stored, what a request may not carry: a body over the size
limit (413), U+0000 anywhere in its path, query, JSON or form body (422: PostgreSQL cannot store it), and a
lone UTF-16 surrogate escape in a JSON body (422 `request.unstorable_text`: no database can store it and no
answer can carry it). Webhooks are kept as sent instead: a platform's message with such text becomes a
channel exception for a person, not a refusal the platform would retry."""

import json
import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A JSON `\u0000` escape, not preceded by an escaped backslash (`\\u0000` is the six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
# A high surrogate escape not followed by a low one, or a low one not preceded by a high one.
_HIGH, _LOW = rb"\\u[dD][89abAB][0-9a-fA-F]{2}", rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
JSON_LONE_SURROGATE = re.compile(
    rb"(?<!\\)(?:\\\\)*(?:" + _HIGH + rb"(?!" + _LOW + rb")|(?<!" + _HIGH + rb")" + _LOW + rb")")
WEBHOOKS = "/webhooks/"


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
        if not scope.get("path", "").startswith(WEBHOOKS) and _lone_surrogate(body):
            await _refuse(send, 422, "request.unstorable_text", "text may not contain a lone UTF-16 surrogate")
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
        or (b"\\u0000" in body and JSON_NUL.search(body) is not None)  # the regex only where it could match
        or (form and b"\x00" in unquote_to_bytes(body))
    )


def _lone_surrogate(body: bytes) -> bool:
    """A lone surrogate escape in a JSON body; the regex is run only on a body with a surrogate escape at all."""
    return (b"\\ud" in body or b"\\uD" in body) and JSON_LONE_SURROGATE.search(body) is not None


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

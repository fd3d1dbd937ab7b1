"""Request ids, as pure ASGI middleware: each request's id is taken from `X-Request-ID` when it is sane (cut to the
audit log's width; else a UUIDv7 is made), bound to every log line written while the request runs, kept in the
request's scope for what it writes (`api.auth.request_id`: the audit's request id is the log's), returned as
`X-Request-ID`, and logged with the answer's status and time."""

import random
import re
import time
from functools import lru_cache

import structlog
from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flexhub.kernel import metrics
from flexhub.ops.logs import bound_once

log = bound_once("flexhub.requests")
HEADER = b"x-request-id"
SCOPE_KEY = "flexhub.request_id"  # the request's id, where the routes and lanes read it (api.auth.request_id)
REQUEST_ID_MAX = 80  # the audit log keeps request ids up to this length; a longer one is cut, in the log too
SANE = re.compile(r"[A-Za-z0-9._:@-]{1,80}")  # nothing that could forge a log line or a header


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's id when sane, else one made here."""
    for name, value in headers:
        if name.lower() == HEADER:
            text = value[:REQUEST_ID_MAX].decode("latin-1")
            if SANE.fullmatch(text):
                return text
    return made_id()


def made_id() -> str:
    """A UUIDv7 as 32 hex digits: the millisecond, then 74 bits of the process's generator (seeded by the OS, and
    again in a forked child). A request id finds a request's lines and audit rows and guards nothing: `kernel.ids`'
    read of os.urandom is a system call per request."""
    bits = random.getrandbits(74)
    value = (time.time_ns() // 1_000_000) << 80 | 0x7 << 76 | (bits >> 62) << 64 | 0x2 << 62 | bits & (1 << 62) - 1
    return f"{value:032x}"


@lru_cache(maxsize=256)  # methods are the parser's few, statuses a few dozen
def _answered(method: str, status: int) -> Counter:
    """The request counter's child of a method and status, looked up once (`labels` takes a lock and checks its
    values each time)."""
    return metrics.HTTP_REQUESTS.labels(method, str(status))


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = scope[SCOPE_KEY] = request_id(scope.get("headers", []))
        status = 500  # what the client sees if the app fails before answering
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(name, value) for name, value in message.get("headers", []) if name.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, rid.encode())]}
            await send(message)

        # bind and reset rather than `bound_contextvars`, whose context manager cost three times as much per request
        tokens = structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _answered(scope.get("method", ""), status).inc()
            log().info("request", method=scope.get("method"), path=scope.get("path"), status=status,
                     ms=round((time.perf_counter() - started) * 1000, 2))
            structlog.contextvars.reset_contextvars(**tokens)

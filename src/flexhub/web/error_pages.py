"""Errors a person meets in the browser are pages, not JSON: a dashboard request that asks for HTML (a browser's
navigation does) gets the page frame with what went wrong in its language and a way back. The API, webhooks and
every client asking for JSON keep the `{"error": {code, message}}` body the API's handlers give."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from flexhub.kernel.errors import FlexhubError
from flexhub.web.render import page

MACHINE_PATHS = ("/api/", "/webhooks/", "/openapi.json", "/metrics", "/health", "/live", "/vendor/", "/static/")
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install(app: FastAPI) -> None:
    """Wrap the API's handlers (installed before) for the three kinds of error a page can raise."""
    for kind in (FlexhubError, RequestValidationError, HTTPException):
        app.add_exception_handler(kind, _page_or(app.exception_handlers[kind]))


def _page_or(as_json: Handler) -> Handler:
    async def handle(request: Request, error: Any) -> Response:
        answer = as_json(request, error)
        if inspect.isawaitable(answer):
            answer = await answer
        if not wants_a_page(request):
            return answer
        status = answer.status_code
        said = error if isinstance(error, FlexhubError) else None  # its message, in the page's language
        return page(request, "error.html", None, status_code=status, status=status, error=said,
                    code=getattr(error, "code", None))
    return handle


def wants_a_page(request: Request) -> bool:
    return (not request.url.path.startswith(MACHINE_PATHS)
            and "text/html" in request.headers.get("accept", ""))

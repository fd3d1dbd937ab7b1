"""Every error leaves as `{"error": {"code", "message", "details"}}` with a fitting status."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.money import NOT_MINOR_UNITS
from flexhub.kernel.text import ERROR_TYPE


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorOut(BaseModel):
    error: ErrorBody


# Declared on every route, so the OpenAPI names each status a client may meet and its body.
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "malformed JSON (`request.malformed_json`)",
        401: "no API key, or an unknown or revoked one",
        403: "the key's role or partner may not do this",
        404: "not found, or not visible to this key",
        409: "a conflict: it exists already, too little stock, a state that does not allow it",
        413: "the body is over the size limit (`request.too_large`)",
        422: "the request does not match the schema or the domain's rules",
    }.items()
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """What `{"error": ...}` holds, wherever an error is answered (a response, one result of a batch)."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return body


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    return JSONResponse({"error": error_body(code, message, details)}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(FlexhubError)
    async def _domain(_: Request, error: FlexhubError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.details)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        if any(p["type"] == "json_invalid" for p in problems):
            return error_response(400, "request.malformed_json", "the body is not valid JSON", problems)
        if any(p["type"] == ERROR_TYPE for p in problems):
            return error_response(422, "request.unstorable_text",
                                  "the body holds text that cannot be stored (a lone surrogate or NUL)", problems)
        if any(p["type"] == NOT_MINOR_UNITS for p in problems):
            return error_response(422, "request.not_minor_units",
                                  "amounts are whole numbers of minor units (fen, cents), not decimals", problems)
        return error_response(422, "request.invalid", "the request does not match the schema", problems)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, error: HTTPException) -> JSONResponse:
        codes = {401: "auth.unauthorized", 403: "auth.forbidden", 404: "resource.not_found",
                 405: "request.method_not_allowed", 413: "request.too_large"}
        code = codes.get(error.status_code, "request.error")
        return error_response(error.status_code, code, str(error.detail))

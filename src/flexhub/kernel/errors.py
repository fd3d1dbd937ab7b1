"""Domain errors: each carries a stable `code` clients match on and the HTTP status it maps to."""

from typing import Any, ClassVar


class FlexhubError(Exception):
    code: ClassVar[str] = "flexhub.error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(FlexhubError):
    code = "request.invalid"
    status = 422


class NotFound(FlexhubError):
    code = "resource.not_found"
    status = 404


class Conflict(FlexhubError):
    code = "resource.conflict"
    status = 409


class Unauthorized(FlexhubError):
    code = "auth.unauthorized"
    status = 401


class Forbidden(FlexhubError):
    code = "auth.forbidden"
    status = 403


def error_class(code: str, status: int, base: type[FlexhubError] = FlexhubError) -> type[FlexhubError]:
    """A named error type per code, so each capability declares its codes in one line."""
    name = "".join(part.title() for part in code.replace(".", "_").split("_"))
    return type(name, (base,), {"code": code, "status": status})

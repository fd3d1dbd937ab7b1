"""Return error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

UnknownReturn = error_class("returns.unknown_return", 404, NotFound)
InvalidReturnTransition = error_class("returns.invalid_transition", 409, Conflict)
InvalidGrading = error_class("returns.invalid_grading", 422, ValidationFailed)
ReturnExists = error_class("returns.return_exists", 409, Conflict)

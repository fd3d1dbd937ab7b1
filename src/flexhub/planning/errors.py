"""Planning error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

DuplicateSalesDay = error_class("planning.duplicate_sales_day", 422, ValidationFailed)
FutureSalesDay = error_class("planning.future_sales_day", 422, ValidationFailed)
NegativeUnits = error_class("planning.negative_units", 422, ValidationFailed)
UnknownEvent = error_class("planning.unknown_event", 404, NotFound)
InvalidEvent = error_class("planning.invalid_event", 422, ValidationFailed)
EventOver = error_class("planning.event_over", 409, Conflict)

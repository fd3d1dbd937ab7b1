"""Routing error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

NoDecision = error_class("routing.no_decision", 404, NotFound)
InvalidPolicy = error_class("routing.invalid_policy", 422, ValidationFailed)
UnknownNode = error_class("routing.unknown_node", 422, ValidationFailed)
AwaitingPayment = error_class("routing.awaiting_payment", 409, Conflict)

"""Outbound webhook error codes."""

from flexhub.kernel.errors import NotFound, ValidationFailed, error_class

UnknownEndpoint = error_class("notifications.unknown_endpoint", 404, NotFound)
UnknownDelivery = error_class("notifications.unknown_delivery", 404, NotFound)
InvalidEventTypes = error_class("notifications.invalid_event_types", 422, ValidationFailed)

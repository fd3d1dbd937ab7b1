"""Ordering error codes."""

from flexhub.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed, error_class

UnknownChannel = error_class("ordering.unknown_channel", 422, ValidationFailed)
UnknownOrder = error_class("ordering.unknown_order", 404, NotFound)
InvalidTransition = error_class("ordering.invalid_transition", 409, Conflict)
ChannelForbidden = error_class("ordering.channel_forbidden", 403, Forbidden)
InvalidOrder = error_class("ordering.invalid_order", 422, ValidationFailed)
StaleOrder = error_class("ordering.stale_order", 409, Conflict)
NotOnHold = error_class("ordering.not_on_hold", 409, Conflict)
InvalidAddress = error_class("ordering.invalid_address", 422, ValidationFailed)
HasShipments = error_class("ordering.has_shipments", 409, Conflict)
# A role that may not see buyers' phones may not find orders by one either (the answer would tell the phone).
PhoneSearchForbidden = error_class("ordering.phone_search_forbidden", 403, Forbidden)

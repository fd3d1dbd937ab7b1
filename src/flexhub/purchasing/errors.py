"""Purchasing error codes."""

from flexhub.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed, error_class

UnknownOrder = error_class("purchasing.unknown_order", 404, NotFound)
UnknownAsn = error_class("purchasing.unknown_asn", 404, NotFound)
UnknownDiscrepancy = error_class("purchasing.unknown_discrepancy", 404, NotFound)
UnknownSupplier = error_class("purchasing.unknown_supplier", 404, NotFound)
NotASupplier = error_class("purchasing.not_a_supplier", 403, Forbidden)
InvalidTransition = error_class("purchasing.invalid_transition", 409, Conflict)
InvalidLines = error_class("purchasing.invalid_lines", 422, ValidationFailed)
IncompleteOrder = error_class("purchasing.incomplete_order", 422, ValidationFailed)  # the form left out who or where
OverAnnounced = error_class("purchasing.over_announced", 409, Conflict)
AlreadyReceived = error_class("purchasing.asn_already_received", 409, Conflict)
OverCapacity = error_class("purchasing.over_capacity", 409, Conflict)
InvalidResolution = error_class("purchasing.invalid_resolution", 422, ValidationFailed)
AlreadyResolved = error_class("purchasing.discrepancy_resolved", 409, Conflict)
NothingToOrder = error_class("purchasing.nothing_to_order", 409, Conflict)
PastDate = error_class("purchasing.expected_date_past", 422, ValidationFailed)

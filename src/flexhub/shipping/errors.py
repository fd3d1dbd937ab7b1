"""Shipping error codes."""

from flexhub.kernel.errors import FlexhubError, ValidationFailed, error_class

UnknownCarrier = error_class("shipping.unknown_carrier", 422, ValidationFailed)
CarrierUnsupported = error_class("shipping.carrier_unsupported", 422, ValidationFailed)
# The carrier answered, and said no (bad address, unknown account, duplicate order) or made no sense.
CarrierRefused = error_class("shipping.carrier_refused", 502, FlexhubError)

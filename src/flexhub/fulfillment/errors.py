"""Fulfilment error codes."""

from flexhub.kernel.errors import Conflict, NotFound, Unauthorized, ValidationFailed, error_class

UnknownShipment = error_class("fulfillment.unknown_shipment", 404, NotFound)
InvalidShipmentTransition = error_class("fulfillment.invalid_transition", 409, Conflict)
NotShippable = error_class("fulfillment.not_shippable", 409, Conflict)
NothingToShip = error_class("fulfillment.nothing_to_ship", 409, Conflict)
NodeRequired = error_class("fulfillment.node_required", 422, ValidationFailed)
WrongPickupCode = error_class("fulfillment.wrong_pickup_code", 409, Conflict)
NoWaybill = error_class("fulfillment.no_waybill", 409, Conflict)
NoCarrierAccount = error_class("fulfillment.no_carrier_account", 422, ValidationFailed)
NoLabel = error_class("fulfillment.no_label", 404, NotFound)
UnknownCarrierAccount = error_class("fulfillment.unknown_carrier_account", 404, NotFound)
BadCarrierSignature = error_class("fulfillment.bad_carrier_signature", 401, Unauthorized)
NotTrackable = error_class("fulfillment.not_trackable", 409, Conflict)

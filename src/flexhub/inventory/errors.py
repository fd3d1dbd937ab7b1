"""Inventory error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

InsufficientStock = error_class("inventory.insufficient_stock", 409, Conflict)
NegativeStock = error_class("inventory.negative_stock", 409, Conflict)
UnknownLocation = error_class("inventory.unknown_location", 404, NotFound)
InvalidPool = error_class("inventory.invalid_pool", 422, ValidationFailed)
InvalidQuantity = error_class("inventory.invalid_quantity", 422, ValidationFailed)
LocationExists = error_class("inventory.location_exists", 409, Conflict)
UnknownTransfer = error_class("inventory.unknown_transfer", 404, NotFound)

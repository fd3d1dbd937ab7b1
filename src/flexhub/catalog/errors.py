"""Catalog error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

UnknownSku = error_class("catalog.unknown_sku", 404, NotFound)
SkuExists = error_class("catalog.sku_exists", 409, Conflict)
InvalidBundle = error_class("catalog.invalid_bundle", 422, ValidationFailed)

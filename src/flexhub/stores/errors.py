"""Stores error codes."""

from flexhub.kernel.errors import NotFound, ValidationFailed, error_class

UnknownShelfLink = error_class("stores.unknown_link", 404, NotFound)
NotAStore = error_class("stores.not_a_store", 422, ValidationFailed)

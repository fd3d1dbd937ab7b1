"""Reseller error codes."""

from flexhub.kernel.errors import NotFound, ValidationFailed, error_class

UnknownReseller = error_class("resellers.unknown_reseller", 404, NotFound)
InvalidTerms = error_class("resellers.invalid_terms", 422, ValidationFailed)
InvalidPrices = error_class("resellers.invalid_prices", 422, ValidationFailed)
InvalidMonth = error_class("resellers.invalid_month", 422, ValidationFailed)
InvalidLogo = error_class("resellers.invalid_logo", 422, ValidationFailed)
InvalidPools = error_class("resellers.invalid_pools", 422, ValidationFailed)

"""Cleaning error codes."""

from flexhub.kernel.errors import NotFound, ValidationFailed, error_class

InvalidRule = error_class("cleaning.invalid_rule", 422, ValidationFailed)
UnknownRuleKind = error_class("cleaning.unknown_kind", 422, ValidationFailed)
DuplicateRuleName = error_class("cleaning.duplicate_rule", 422, ValidationFailed)
UnreadableRules = error_class("cleaning.unreadable_yaml", 422, ValidationFailed)
OrderRejected = error_class("cleaning.rejected", 422, ValidationFailed)
AddressRefused = error_class("cleaning.address_refused", 422, ValidationFailed)
UnknownRuleChannel = error_class("channels.unknown_channel", 404, NotFound)  # a rule naming a channel not there

"""Saved filter error codes."""

from flexhub.kernel.errors import Conflict, Forbidden, NotFound, ValidationFailed, error_class

InvalidFilter = error_class("filters.invalid", 422, ValidationFailed)
UnknownFilter = error_class("filters.unknown_filter", 404, NotFound)  # also another tenant's, or a private one
FilterNameTaken = error_class("filters.name_taken", 409, Conflict)
FilterOfAnotherList = error_class("filters.another_list", 422, ValidationFailed)  # applied to another list
NotYourFilter = error_class("filters.not_yours", 403, Forbidden)  # a filter shared with you: only its owner deletes
# A phone's ending is personal data: a role that may not see phones may not keep a filter by one.
PersonalFilterForbidden = error_class("filters.personal_data", 403, Forbidden)

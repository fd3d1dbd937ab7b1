"""What a list request can get wrong: a sort it does not offer, a cursor it did not give, a format it cannot write."""

from flexhub.kernel.errors import ValidationFailed, error_class

UnknownSort = error_class("lists.unknown_sort", 422, ValidationFailed)
BadCursor = error_class("lists.bad_cursor", 422, ValidationFailed)
UnknownExportFormat = error_class("lists.unknown_format", 422, ValidationFailed)

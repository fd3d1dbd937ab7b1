"""Batch error codes."""

from flexhub.kernel.errors import NotFound, ValidationFailed, error_class

UnknownAction = error_class("batches.unknown_action", 422, ValidationFailed)
BadSelection = error_class("batches.bad_selection", 422, ValidationFailed)
UnknownBatch = error_class("batches.unknown_batch", 404, NotFound)

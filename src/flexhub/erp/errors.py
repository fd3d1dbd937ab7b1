"""ERP error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

UnknownConnection = error_class("erp.unknown_connection", 404, NotFound)
ConnectionExists = error_class("erp.connection_exists", 409, Conflict)
UnknownKind = error_class("erp.unknown_kind", 422, ValidationFailed)
MissingCredentials = error_class("erp.missing_credentials", 422, ValidationFailed)
NoConnector = error_class("erp.no_connector", 422, ValidationFailed)
UnknownDocument = error_class("erp.unknown_document", 404, NotFound)

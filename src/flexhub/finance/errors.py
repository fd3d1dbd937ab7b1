"""Finance error codes."""

from flexhub.kernel.errors import Conflict, NotFound, ValidationFailed, error_class

UnknownFormat = error_class("finance.unknown_format", 422, ValidationFailed)
UnreadableStatement = error_class("finance.unreadable_statement", 422, ValidationFailed)
InvalidFeeTerms = error_class("finance.invalid_fee_terms", 422, ValidationFailed)
InvalidPeriod = error_class("finance.invalid_period", 422, ValidationFailed)
UnknownDifference = error_class("finance.unknown_difference", 404, NotFound)
DifferenceAlreadyResolved = error_class("finance.already_resolved", 409, Conflict)
UnknownStatement = error_class("finance.unknown_statement", 404, NotFound)
UnknownDimension = error_class("finance.unknown_dimension", 422, ValidationFailed)
UnknownBasis = error_class("finance.unknown_basis", 422, ValidationFailed)
UnknownReceipt = error_class("finance.unknown_receipt", 404, NotFound)
InvalidCost = error_class("finance.invalid_cost", 422, ValidationFailed)
UnknownReturn = error_class("finance.unknown_return", 404, NotFound)
MissingExchangeRate = error_class("finance.missing_exchange_rate", 409, Conflict)
InvalidRate = error_class("finance.invalid_rate", 422, ValidationFailed)
UnreadableBill = error_class("finance.unreadable_bill", 422, ValidationFailed)

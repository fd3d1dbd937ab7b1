"""Stores error codes."""

from flexhub.kernel.errors import Conflict, FlexhubError, NotFound, Unauthorized, ValidationFailed, error_class

UnknownShelfLink = error_class("stores.unknown_link", 404, NotFound)
NotAStore = error_class("stores.not_a_store", 422, ValidationFailed)
NoShelfPrice = error_class("stores.no_price", 422, ValidationFailed)
InvalidSale = error_class("stores.invalid_sale", 422, ValidationFailed)
UnknownSale = error_class("stores.unknown_sale", 404, NotFound)
NoPaymentAccount = error_class("payments.no_account", 409, Conflict)
BadSignature = error_class("payments.bad_signature", 401, Unauthorized)
AmountMismatch = error_class("payments.amount_mismatch", 409, Conflict)
GatewayFailed = error_class("payments.gateway_failed", 502, FlexhubError)
# No answer, or one saying the gateway may yet do it: the refund stays claimed, asked again under its own number.
RefundUnanswered = error_class("payments.refund_unanswered", 502, FlexhubError)
NotRefundable = error_class("stores.not_refundable", 409, Conflict)
UnknownRefund = error_class("payments.unknown_refund", 404, NotFound)
NotATask = error_class("stores.not_a_task", 409, Conflict)
TooManyRequests = error_class("stores.too_many_requests", 429, FlexhubError)

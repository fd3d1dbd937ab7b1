"""Analytics error codes."""

from flexhub.kernel.errors import FlexhubError, ValidationFailed, error_class

AnalyticsUnavailable = error_class("analytics.unavailable", 501, FlexhubError)
UnknownFormat = error_class("analytics.unknown_format", 422, ValidationFailed)

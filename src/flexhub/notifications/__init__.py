"""Outbound webhooks: endpoints of a tenant or of one partner, events delivered from the outbox with
Standard Webhooks signatures, retried with back-off, parked after too many tries and retryable."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

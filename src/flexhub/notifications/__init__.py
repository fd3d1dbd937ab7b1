"""Outbound webhooks: endpoints of a tenant or of one partner, events delivered from the outbox with
Standard Webhooks signatures, retried with back-off, parked after too many tries and retryable."""

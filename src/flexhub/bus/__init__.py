"""The message bus, the event envelope, transports and the outbox relay."""

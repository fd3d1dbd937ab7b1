"""Background work in the serving process: the outbox relay and periodic jobs."""

"""Persistence: engine, table base, unit of work, outbox and migrations."""

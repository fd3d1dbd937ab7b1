"""The job queue as people see it: a tenant's jobs listed by state and kind, a dead one retried or deleted (API,
CLI and dashboard). The queue itself is `flexhub.db.jobs`."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

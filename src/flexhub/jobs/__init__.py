"""The job queue as people see it: a tenant's jobs listed by state and kind, a dead one retried or deleted (API,
CLI and dashboard). The queue itself is `flexhub.db.jobs`."""

from flexhub.jobs import queries
from flexhub.jobs.commands import DeleteJob, RetryJob

__all__ = ["DeleteJob", "RetryJob", "queries"]

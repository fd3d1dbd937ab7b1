"""The public face of flexhub.jobs: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.jobs import queries
from flexhub.jobs.commands import DeleteJob, JobDeleted, JobRetried, RetryJob

__all__ = ["DeleteJob", "JobDeleted", "JobRetried", "RetryJob", "queries"]

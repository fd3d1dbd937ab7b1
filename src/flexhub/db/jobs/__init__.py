"""The one durable job queue (claim, lease, retry, dead letters), the leases singleton schedules hold, and the
rate buckets shared by every process."""

from flexhub.db.jobs.backoff import delay
from flexhub.db.jobs.buckets import SharedBucket
from flexhub.db.jobs.errors import JobNotDead, JobNotFound
from flexhub.db.jobs.model import QueuedJob, RateBucket, ScheduleLease
from flexhub.db.jobs.queue import Claimed, NewJob, claim, enqueue, fail, finish, forget, postpone, retry, retry_key

__all__ = ["Claimed", "JobNotDead", "JobNotFound", "NewJob", "QueuedJob", "RateBucket", "ScheduleLease",
           "SharedBucket", "claim", "delay", "enqueue", "fail", "finish", "forget", "postpone", "retry", "retry_key"]

"""Job queue commands: a dead job retried or deleted, within the actor's tenant."""

from dataclasses import dataclass

from flexhub.kernel.messages import Command
from flexhub.kernel.results import Result


@dataclass(frozen=True, kw_only=True)
class RetryJob(Command):
    """A dead job due again at once, with a fresh count of attempts."""

    job_id: str


@dataclass(frozen=True, kw_only=True)
class DeleteJob(Command):
    """A dead job given up for good."""

    job_id: str


@dataclass(frozen=True, kw_only=True)
class JobRetried(Result):
    id: str
    state: str


@dataclass(frozen=True, kw_only=True)
class JobDeleted(Result):
    id: str
    deleted: bool

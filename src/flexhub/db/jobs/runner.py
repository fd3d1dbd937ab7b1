"""Running the due jobs of a kind, written once: claim a batch, run each outside any transaction, then finish it
(with what its handler records, in one transaction) or fail it with the one back-off.

A handler raises `Retry` for a try that failed (with the receiver's Retry-After, or `give_up` for one that can
never succeed); any other exception is a failed try too. `on_failure` mirrors the job's state into the rows a
capability shows (a delivery's attempts and error), in the transaction that fails the job.
"""

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from flexhub.db.jobs import queue
from flexhub.db.jobs.queue import Claimed
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = structlog.get_logger(__name__)
PROCESS = f"{socket.gethostname()}:{os.getpid()}"

Record = Callable[[UnitOfWork], object]  # written with the job's end; what it returns is not read


class Retry(Exception):  # noqa: N818 — raised to ask for another try, not an error of the caller's
    def __init__(self, error: str, *, retry_after: float | None = None, give_up: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.retry_after = retry_after
        self.give_up = give_up


@dataclass(frozen=True, slots=True)
class Policy:
    """How a kind of job is retried: attempts before it is parked, the back-off's first step and its cap."""

    max_attempts: int
    first_s: float
    cap_s: float
    lease_s: float = 60.0


@dataclass(frozen=True, slots=True)
class Failure:
    state: str  # pending | dead
    run_after: datetime | None
    error: str


def owner_name(kind: str) -> str:
    """Who holds a claim: this host and process, and which runner in it."""
    return f"{PROCESS}:{kind}:{uuid.uuid4().hex[:6]}"


def run_due(uow_factory: UnitOfWorkFactory, kind: str, handle: Callable[[Claimed], Record | None], *,
            owner: str, policy: Policy, limit: int = 100,
            on_failure: Callable[[UnitOfWork, Claimed, Failure], None] | None = None) -> int:
    """Run the due jobs of `kind` (up to `limit`); returns how many succeeded."""
    with uow_factory() as uow:
        claimed = queue.claim(uow.connection, [kind], owner, lease_s=policy.lease_s, limit=limit)
        uow.commit()
    return sum(run_claimed(uow_factory, job, handle, policy, on_failure) for job in claimed)


def run_key(uow_factory: UnitOfWorkFactory, kind: str, key: str, handle: Callable[[Claimed], Record | None], *,
            owner: str, policy: Policy, on_failure: Callable[[UnitOfWork, Claimed, Failure], None] | None = None
            ) -> bool | None:
    """Run the job of (kind, key) now, here, if no one else has it: True or False as it went, None when it was not
    there to claim (done already, or a worker has it)."""
    with uow_factory() as uow:
        claimed = queue.claim(uow.connection, [kind], owner, lease_s=policy.lease_s, limit=1, key=key)
        uow.commit()
    return run_claimed(uow_factory, claimed[0], handle, policy, on_failure) if claimed else None


def run_claimed(uow_factory: UnitOfWorkFactory, job: Claimed, handle: Callable[[Claimed], Record | None],
                policy: Policy, on_failure: Callable[[UnitOfWork, Claimed, Failure], None] | None) -> bool:
    try:
        record = handle(job)
    except Retry as failed:
        _fail(uow_factory, job, failed, policy, on_failure)
        return False
    except Exception as error:  # a bug or an outage: counted as a try, so it cannot loop forever
        log.exception("job failed", kind=job.kind, job_id=str(job.id))
        _fail(uow_factory, job, Retry(f"{type(error).__name__}: {error}"), policy, on_failure)
        return False
    with uow_factory() as uow:
        if record is not None:
            record(uow)
        if not queue.finish(uow.connection, job):
            log.warning("job finished after its lease ran out", kind=job.kind, job_id=str(job.id))
        uow.commit()
    return True


def _fail(uow_factory: UnitOfWorkFactory, job: Claimed, failed: Retry, policy: Policy,
          on_failure: Callable[[UnitOfWork, Claimed, Failure], None] | None) -> None:
    with uow_factory() as uow:
        state = queue.fail(uow.connection, job, failed.error, max_attempts=policy.max_attempts,
                           first_s=policy.first_s, cap_s=policy.cap_s, retry_after=failed.retry_after,
                           give_up=failed.give_up)
        if state is not None and on_failure is not None:
            on_failure(uow, job, Failure(state[0], state[1], failed.error))
        uow.commit()
    # One line a failed try (no traceback: the error says what the receiver said), with when it comes back.
    log.warning("job try failed", kind=job.kind, job_id=str(job.id), attempts=job.attempts, error=failed.error,
                state=state[0] if state else None, next_try=state[1].isoformat() if state and state[1] else None)

"""The one durable job queue: enqueue in the caller's transaction, claim under a lease, finish, fail with the one
back-off, park as a dead letter after the kind's last attempt, retry or delete a dead one.

Claiming is one UPDATE of the due rows picked `FOR UPDATE SKIP LOCKED` on PostgreSQL (workers never wait on each
other's rows); on SQLite the claiming transaction is `BEGIN IMMEDIATE` (the engine's writers), so two claims take
turns. A claimed job is leased: a worker that dies (kill -9) lets its lease run out, and the next claim takes the
job over. Every statement that ends a claim names its owner, so a worker whose lease ran out changes nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from flexhub.db.jobs.backoff import delay
from flexhub.db.jobs.errors import JobNotDead, JobNotFound
from flexhub.db.jobs.model import QueuedJob
from flexhub.db.portable import for_update, insert_missing
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


@dataclass(frozen=True, slots=True)
class Claimed:
    id: uuid.UUID
    kind: str
    key: str | None
    tenant_id: uuid.UUID | None
    payload: dict[str, Any]
    attempts: int  # this try included
    owner: str

    def required_tenant(self) -> uuid.UUID:
        """The tenant of a job that is always one tenant's (a notice, a waybill): one without is a bug, not a retry."""
        if self.tenant_id is None:
            raise ValueError(f"{self.kind} job {self.key} has no tenant")
        return self.tenant_id


@dataclass(frozen=True, slots=True)
class NewJob:
    kind: str
    payload: dict[str, Any]
    key: str | None = None
    tenant_id: uuid.UUID | None = None
    run_after: datetime | None = None


def enqueue(connection: Connection, jobs: list[NewJob]) -> None:
    """Add jobs in the caller's transaction. A keyed job that exists already is not added again; one running now
    is marked to run once more when it ends (what it does may have changed since it began)."""
    now = clock.now()
    insert_missing(connection, QueuedJob.__table__, [
        {"id": new_id(), "kind": j.kind, "key": j.key, "tenant_id": j.tenant_id, "payload": j.payload,
         "state": "pending", "attempts": 0, "run_after": j.run_after or now, "again": False,
         "created_at": now, "updated_at": now} for j in jobs], ["kind", "key"])
    keyed = [(j.kind, j.key) for j in jobs if j.key is not None]
    for kind, key in keyed:
        connection.execute(update(QueuedJob).where(QueuedJob.kind == kind, QueuedJob.key == key,
                                                   QueuedJob.state == "running").values(again=True))


def claim(connection: Connection, kinds: list[str], owner: str, *, lease_s: float, limit: int,
          key: str | None = None) -> list[Claimed]:
    """Lease up to `limit` due jobs of these kinds (pending and due, or running under a lease that ran out); with
    `key`, only that job, due or not yet (someone wants it done now, before its turn)."""
    now = clock.now()
    if key is not None:
        wanted = and_(QueuedJob.key == key, QueuedJob.state == "pending")
    else:
        wanted = and_(QueuedJob.state == "pending", QueuedJob.run_after <= now)
    due = (select(QueuedJob.id)
           .where(QueuedJob.kind.in_(kinds),
                  or_(wanted, and_(QueuedJob.state == "running", QueuedJob.lease_expires_at < now,
                                   *([QueuedJob.key == key] if key is not None else []))))
           .order_by(QueuedJob.run_after).limit(limit))
    picked = for_update(due, connection, skip_locked=True).scalar_subquery()
    claimed = connection.execute(
        update(QueuedJob).where(QueuedJob.id.in_(picked))
        .values(state="running", lease_owner=owner, lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=QueuedJob.attempts + 1, again=False, updated_at=now)
        .returning(QueuedJob.id, QueuedJob.kind, QueuedJob.key, QueuedJob.tenant_id, QueuedJob.payload,
                   QueuedJob.attempts, QueuedJob.run_after)).all()
    ordered = sorted(claimed, key=lambda row: clock.as_utc(row.run_after))
    return [Claimed(r.id, r.kind, r.key, r.tenant_id, r.payload, r.attempts, owner) for r in ordered]


def extend(connection: Connection, job: Claimed, *, lease_s: float) -> bool:
    """Keep the lease of a job still running; False when it was lost (taken over after running out)."""
    held = connection.execute(update(QueuedJob).where(QueuedJob.id == job.id, QueuedJob.lease_owner == job.owner,
                                                      QueuedJob.state == "running")
                              .values(lease_expires_at=clock.now() + timedelta(seconds=lease_s)))
    return held.rowcount == 1


def finish(connection: Connection, job: Claimed) -> bool:
    """The job is done: gone from the queue, unless it was asked for again meanwhile (then due at once).
    False when its lease had been lost: someone else has it now."""
    mine = and_(QueuedJob.id == job.id, QueuedJob.lease_owner == job.owner, QueuedJob.state == "running")
    if connection.execute(delete(QueuedJob).where(mine, QueuedJob.again.is_(False))).rowcount == 1:
        return True
    return connection.execute(update(QueuedJob).where(mine).values(_pending(clock.now(), attempts=0))).rowcount == 1


def fail(connection: Connection, job: Claimed, error: str, *, max_attempts: int, first_s: float, cap_s: float,
         retry_after: float | None = None, give_up: bool = False) -> tuple[str, datetime | None] | None:
    """A failed try: due again after the back-off (or the receiver's Retry-After), or dead after the last attempt.
    Returns the job's state now and when it is due, or None when its lease had been lost."""
    now = clock.now()
    dead = give_up or job.attempts >= max_attempts
    wait = retry_after if retry_after is not None else delay(job.attempts, first_s=first_s, cap_s=cap_s)
    due = None if dead else now + timedelta(seconds=wait)
    values = ({"state": "dead", "lease_owner": None, "lease_expires_at": None, "updated_at": now} if due is None
              else _pending(due))
    changed = connection.execute(
        update(QueuedJob).where(QueuedJob.id == job.id, QueuedJob.lease_owner == job.owner,
                                QueuedJob.state == "running").values(**values, last_error=error[:500]))
    return None if changed.rowcount == 0 else ("dead" if due is None else "pending", due)


def postpone(connection: Connection, job: Claimed, *, seconds: float) -> None:
    """Put a claimed job back untried (its turn came while the platform's budget was spent): no attempt counted."""
    connection.execute(update(QueuedJob).where(QueuedJob.id == job.id, QueuedJob.lease_owner == job.owner)
                       .values(_pending(clock.now() + timedelta(seconds=seconds), attempts=job.attempts - 1)))


def retry(connection: Connection, job_id: uuid.UUID, *, tenant_id: uuid.UUID | None) -> None:
    """A dead job due again at once with a fresh count of attempts."""
    row = one(connection, job_id, tenant_id)
    if row.state != "dead":
        raise JobNotDead(f"job {job_id} is {row.state}, not dead")
    connection.execute(update(QueuedJob).where(QueuedJob.id == job_id).values(_pending(clock.now(), attempts=0)))


def retry_key(connection: Connection, kind: str, key: str, *, tenant_id: uuid.UUID | None, payload: dict[str, Any]
              ) -> None:
    """The job of (kind, key) due again at once with a fresh count, added if there is none (it finished)."""
    now = clock.now()
    connection.execute(update(QueuedJob).where(QueuedJob.kind == kind, QueuedJob.key == key,
                                               QueuedJob.state != "running")
                       .values(**_pending(now, attempts=0), payload=payload))
    enqueue(connection, [NewJob(kind, payload, key=key, tenant_id=tenant_id)])


def forget(connection: Connection, kind: str, keys: list[str]) -> None:
    """Drop the jobs of what no longer exists (an endpoint deleted with its deliveries)."""
    if keys:
        connection.execute(delete(QueuedJob).where(QueuedJob.kind == kind, QueuedJob.key.in_(keys)))


def delete_dead(connection: Connection, job_id: uuid.UUID, *, tenant_id: uuid.UUID | None) -> None:
    row = one(connection, job_id, tenant_id)
    if row.state != "dead":
        raise JobNotDead(f"job {job_id} is {row.state}, not dead")
    connection.execute(delete(QueuedJob).where(QueuedJob.id == job_id))


def listing(connection: Connection, *, tenant_id: uuid.UUID | None, states: list[str] | None = None,
            kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[Any], int]:
    """A page of jobs, newest first, and how many match in all; a tenant sees its own only."""
    where = [QueuedJob.tenant_id == tenant_id] if tenant_id is not None else []
    if states:
        where.append(QueuedJob.state.in_(states))
    if kind:
        where.append(QueuedJob.kind == kind)
    rows = connection.execute(select(QueuedJob).where(*where)
                              .order_by(QueuedJob.updated_at.desc(), QueuedJob.id).limit(limit).offset(offset)).all()
    total = connection.execute(select(func.count()).select_from(QueuedJob).where(*where)).scalar_one()
    return list(rows), int(total)


def counts(connection: Connection) -> dict[tuple[str, str], int]:
    """Jobs per (kind, state): the queue's depth and its dead letters."""
    query = select(QueuedJob.kind, QueuedJob.state, func.count()).group_by(QueuedJob.kind, QueuedJob.state)
    return {(kind, state): int(n) for kind, state, n in connection.execute(query)}


def one(connection: Connection, job_id: uuid.UUID, tenant_id: uuid.UUID | None) -> Any:
    query = select(QueuedJob).where(QueuedJob.id == job_id)
    if tenant_id is not None:
        query = query.where(QueuedJob.tenant_id == tenant_id)
    row = connection.execute(query).first()
    if row is None:
        raise JobNotFound(f"no job {job_id}")
    return row


def _pending(run_after: datetime, **extra: Any) -> dict[str, Any]:
    return {"state": "pending", "run_after": run_after, "lease_owner": None, "lease_expires_at": None,
            "again": False, "updated_at": clock.now(), **extra}


def every_job(connection: Connection) -> list[Any]:
    """Every job still queued: kind, state, attempts and last error (what a test stage says when it has not settled)."""
    return list(connection.execute(select(QueuedJob.kind, QueuedJob.state, QueuedJob.attempts, QueuedJob.last_error)))

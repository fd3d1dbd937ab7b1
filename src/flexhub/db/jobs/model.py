"""The job queue's tables: the jobs themselves, the leases singleton schedules hold, and rate buckets shared by
every process."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from flexhub.db.base import Base, created_at_column, id_column


class QueuedJob(Base):
    """One piece of background work: pending until due, running while a worker's lease lasts, deleted when done,
    parked (`dead`) after its kind's last attempt until a person retries or deletes it."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("kind", "key"), Index("ix_jobs_due", "state", "run_after"),
                      Index("ix_jobs_tenant", "tenant_id", "state"))

    id: Mapped[uuid.UUID] = id_column()
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str | None] = mapped_column(String(200))  # set where a job must exist once (kind, key)
    tenant_id: Mapped[uuid.UUID | None]
    payload: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending | running | dead
    attempts: Mapped[int] = mapped_column(default=0)  # counted when claimed: a job that kills its worker counts
    run_after: Mapped[datetime]
    again: Mapped[bool] = mapped_column(default=False)  # asked for again while running: run once more after
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ScheduleLease(Base):
    """Who runs a singleton schedule (the relay, reconciliation, polling…) and until when."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    owner: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]


class RateBucket(Base):
    """A token bucket every process takes from: a platform's limit held once however many workers run.
    `at` is seconds since the epoch by the database's clock, the one clock all processes share."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    at: Mapped[float] = mapped_column(Float)

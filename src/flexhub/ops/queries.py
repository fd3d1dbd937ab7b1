"""What readiness and the metrics read from the database: the schema's revision, and how far behind work is."""

from datetime import datetime
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select

from flexhub.db.jobs.model import QueuedJob
from flexhub.db.outbox import OutboxEvent
from flexhub.kernel import clock


def schema_behind(connection: Connection) -> str | None:
    """None when the database is migrated to the head revision; otherwise what it is at and what is wanted."""
    current = set(MigrationContext.configure(connection).get_current_heads())
    heads = _heads()
    if current == heads:
        return None
    return f"schema at {sorted(current) or 'nothing'}, head is {sorted(heads)}: run `flexhub db upgrade`"


@cache
def _heads() -> frozenset[str]:
    """The revisions this code expects, read once: the scripts do not change under a running process."""
    from flexhub.db.migrate import MIGRATIONS

    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def outbox_lag_s(connection: Connection) -> float:
    """Seconds the oldest unpublished event has waited (0 when none waits)."""
    oldest = connection.scalar(select(func.min(OutboxEvent.occurred_at)).where(OutboxEvent.published_at.is_(None)))
    return _age(oldest)


def job_lag_s(connection: Connection) -> float:
    """Seconds the most overdue pending job has waited past its time (0 when none is due)."""
    oldest = connection.scalar(select(func.min(QueuedJob.run_after)).where(QueuedJob.state == "pending"))
    return _age(oldest)


def dead_jobs(connection: Connection) -> int:
    return connection.scalar(select(func.count()).select_from(QueuedJob).where(QueuedJob.state == "dead")) or 0


def _age(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return max(0.0, (clock.now() - clock.as_utc(moment)).total_seconds())

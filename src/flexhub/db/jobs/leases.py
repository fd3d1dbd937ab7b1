"""Leases for singleton schedules: exactly one process runs the outbox relay, reconciliation, polling… at a time.

A lease is one row (name, owner, expires_at). Taking it is one statement: insert it, or take it over where it is
ours already or has run out. The holder renews it well before it runs out; a process that dies stops renewing,
and another takes the schedule over once the lease has run out.
"""

from datetime import timedelta

from sqlalchemy import Connection, delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from flexhub.db.jobs.model import ScheduleLease
from flexhub.kernel import clock


def take(connection: Connection, name: str, owner: str, *, ttl_s: float) -> bool:
    """Take or renew the lease on `name`; True when `owner` holds it now."""
    now = clock.now()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(ScheduleLease).values(name=name, owner=owner, expires_at=now + timedelta(seconds=ttl_s))
    taking = statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"owner": statement.excluded.owner, "expires_at": statement.excluded.expires_at},
        where=or_(ScheduleLease.owner == owner, ScheduleLease.expires_at < now),
    ).returning(ScheduleLease.owner)
    return connection.execute(taking).first() is not None


def give_up(connection: Connection, owner: str) -> None:
    """Release every lease `owner` holds (a clean stop): the others take over at once, not after expiry."""
    connection.execute(delete(ScheduleLease).where(ScheduleLease.owner == owner))

"""A hub on a given database for one test, closed afterwards (its combiner thread and its engine)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from flexhub.bootstrap import Hub, bootstrap
from flexhub.db.engine import is_sqlite
from flexhub.settings import Settings


@contextmanager
def running_hub(database_url: str, *, combine: bool = False, **settings: Any) -> Iterator[Hub]:
    """Per-order imports by default; `combine=True` sends them through the reservation combiner. Any other
    setting may be given (`db_pool_size=4`)."""
    hub = bootstrap(Settings(database_url=database_url, **settings), combine=combine)
    keeper = _without_waiting_for_the_disk(hub.engine)
    try:
        yield hub
    finally:
        if keeper is not None:
            keeper.close()
        hub.close()


def _without_waiting_for_the_disk(engine: Engine) -> Connection | None:
    """Test databases need not survive a power cut: commits stop waiting for fsync.

    PostgreSQL: synchronous_commit off (locking and visibility are unchanged). SQLite checkpoints and
    deletes its WAL whenever the last connection closes, which with NullPool is after every unit of
    work; one idle connection held open for the test avoids that. Returns that connection, if any.
    """
    if is_sqlite(engine):
        return engine.connect()

    @event.listens_for(engine, "connect")
    def _no_fsync(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SET synchronous_commit = off")
        cursor.close()
        dbapi_connection.commit()

    return None

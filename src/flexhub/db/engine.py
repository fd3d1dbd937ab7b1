"""Engines for SQLite (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writes) and PostgreSQL."""

import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from flexhub.db.copy_rows import copy_many_row_inserts

WRITE_OPTION = "flexhub_write"


def build_engine(url: str, *, pool_size: int = 20) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size)
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    if engine.dialect.driver == "psycopg":
        copy_many_row_inserts(engine)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"check_same_thread": False, "timeout": 30}
    if not database or database == ":memory:":
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    else:
        # Pooled: closing the last connection to a WAL database checkpoints it (tens of ms, on every unit of
        # work when nothing else is open), and each new connection reads the schema again. A connection
        # goes back to the pool rolled back, so an idle one holds no lock. No limit on overflow: as before,
        # every caller gets a connection at once and waits, if it must, on SQLite's own lock.
        engine = create_engine(url, pool_size=pool_size, max_overflow=-1, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    turnstile = WriterTurnstile()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front, so two writers never deadlock upgrading a read lock.
        if not connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN")
            return
        turnstile.enter(connection.connection.dbapi_connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turnstile.leave(connection.connection.dbapi_connection)
            raise

    # Begun here, ended here: the driver's COMMIT or ROLLBACK runs before the turn passes on, and
    # SQLAlchemy's own call after this finds no transaction left to end.
    @event.listens_for(engine, "commit")
    def _commit(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.invalidated:  # its turn ended when it broke
            return
        dbapi_connection = connection.connection.dbapi_connection
        try:
            dbapi_connection.commit()
        finally:
            turnstile.leave(dbapi_connection)

    @event.listens_for(engine, "rollback")
    def _rollback(connection) -> None:  # type: ignore[no-untyped-def]
        if connection.invalidated:
            return
        dbapi_connection = connection.connection.dbapi_connection
        try:
            dbapi_connection.rollback()
        finally:
            turnstile.leave(dbapi_connection)

    # At the latest, the turn ends when its connection goes back to the pool or breaks.
    for name in ("checkin", "invalidate"):
        event.listen(engine, name, lambda dbapi_connection, *_: turnstile.leave(dbapi_connection))
    return engine


class WriterTurnstile:
    """This process's SQLite writers, one at a time, each woken the moment the turn is free.

    SQLite's own lock answers a waiting writer with sleeps that grow to 100 ms, so under contention a
    writer that arrives late often wins while others sleep for seconds. Waiting here instead, on a lock
    that wakes its waiters, no writer polls; the database's lock still guards against other processes.
    """

    def __init__(self, timeout_s: float = 30.0) -> None:
        self._lock = threading.Lock()
        self._holder: object | None = None  # the DBAPI connection whose transaction has the turn
        self._timeout_s = timeout_s

    def enter(self, dbapi_connection: object) -> None:
        if not self._lock.acquire(timeout=self._timeout_s):
            raise TimeoutError(f"no turn to write to SQLite within {self._timeout_s:.0f} s")
        self._holder = dbapi_connection

    def leave(self, dbapi_connection: object) -> None:
        if dbapi_connection is not None and self._holder is dbapi_connection:
            self._holder = None
            self._lock.release()

"""Engines for SQLite (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writes, one queue for a process's
writers) and PostgreSQL."""

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from flexhub.db.copy_rows import copy_many_row_inserts

WRITE_OPTION = "flexhub_write"
BUSY_TIMEOUT_S = 30.0  # how long a SQLite writer waits for the write lock
HOLDS_WRITERS = "flexhub_holds_writers"  # connection.info: this connection's transaction holds the process's writers


def build_engine(url: str, *, pool_size: int = 20, max_overflow: int = 20, pool_timeout_s: float = 30.0) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size)
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout_s,
                           pool_pre_ping=True)
    if engine.dialect.driver == "psycopg":
        copy_many_row_inserts(engine)
    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: str, pool_size: int) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
    if not database or database == ":memory:":
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    else:
        # Pooled: closing the last connection to a WAL database checkpoints it (tens of ms, on every unit of
        # work when nothing else is open), and each new connection reads the schema again. A connection
        # goes back to the pool rolled back, so an idle one holds no lock. No limit on overflow: as before,
        # every caller gets a connection at once and waits, if it must, on SQLite's own lock.
        engine = create_engine(url, pool_size=pool_size, max_overflow=-1, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.close()

    # This process's writers queue here for SQLite's one write lock rather than in SQLite's busy handler, whose waiter
    # sleeps up to 100 ms between tries and loses the lock to every newcomer: under a busy day one writer waited 18 s
    # (the stock planner, behind order imports and the relay's consumers). Held by the connection, not the thread
    # (its transaction may end on another thread), and waited for at most as long as SQLite would wait: a writer that
    # cannot get it in that time (a thread writing inside its own write) asks SQLite as before.
    writers = threading.Semaphore(1)

    def let_writers_go(info: dict[Any, Any]) -> None:
        if info.pop(HOLDS_WRITERS, False):
            writers.release()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A writer takes the write lock up front, so two writers never deadlock upgrading a read lock.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        if write and writers.acquire(timeout=BUSY_TIMEOUT_S):
            connection.info[HOLDS_WRITERS] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        except BaseException:
            let_writers_go(connection.info)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ended(connection: Connection) -> None:
        let_writers_go(connection.info)

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def _gone(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, *_args: object) -> None:
        let_writers_go(record.info)  # a connection given back or dropped mid-transaction holds the queue no more

    return engine

"""Engines for SQLite (WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writes) and PostgreSQL."""

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from flexhub.db.copy_rows import copy_many_row_inserts

WRITE_OPTION = "flexhub_write"


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

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        # A writer takes the write lock up front, so two writers never deadlock upgrading a read lock.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine

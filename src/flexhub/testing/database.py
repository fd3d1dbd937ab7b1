"""Test databases: a migrated SQLite template copied per test; a PostgreSQL database per worker, emptied per test."""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from flexhub.db.engine import build_engine
from flexhub.db.migrate import upgrade

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def migrated_sqlite_template(directory: Path) -> Path:
    """Migrate once; closing the last connection checkpoints the WAL, so the one file holds everything."""
    path = directory / "template.db"
    upgrade(sqlite_url(path))
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return sqlite_url(target)


def postgres_server_url() -> str:
    """The server tests create their databases on (its own database is only used to create them)."""
    return os.environ.get("FLEXHUB_TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def printable(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def is_reachable(server_url: str) -> bool:
    try:
        with autocommit(server_url) as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        return False
    return True


def worker_database_name(prefix: str = "flexhub_test") -> str:
    """Unique per xdist worker and process, so parallel and concurrent runs never share a database."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"{prefix}_{worker}_{os.getpid()}".lower()


@contextmanager
def scratch_postgres_database(server_url: str, name: str, *, durable: bool = True) -> Iterator[str]:
    """An empty database, dropped on exit (connections still open to it are ended).

    Not `durable`, its commits do not wait for the disk (`synchronous_commit = off`), for the tests: a scratch
    database has nothing to keep if the server itself crashes, and what the tests check (atomicity, locks, a client
    killed mid-transaction) is the same. The benchmarks keep the server's setting, as production would."""
    with autocommit(server_url) as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        if not durable:
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with autocommit(server_url) as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def empty_all_tables(url: str) -> None:
    """Empty every table but Alembic's, and restart sequences: a clean database for the next test.

    Only the tables that hold rows are emptied, by DELETE with triggers and foreign-key checks off
    (`session_replication_role = replica`), and only the sequences that were used are restarted. TRUNCATE costs a
    new file per table and a wait on the server's disk: 1.5-4 s a test at load 15 here, where DELETE of a test's few
    rows took 0.08-0.4 s. The dead rows left behind are autovacuum's."""
    with autocommit(url) as connection:
        # A test that left a transaction open should fail here, not hang the run.
        connection.execute(text("SET lock_timeout = '10s'"))
        holding = tables_holding_rows(connection)
        if holding:
            connection.execute(text("SET session_replication_role = replica"))
            connection.execute(text("; ".join(f"DELETE FROM {table}" for table in holding)))
            connection.execute(text("SET session_replication_role = DEFAULT"))
        used = connection.scalars(
            text(
                "SELECT quote_ident(sequencename) FROM pg_sequences"
                " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
            )
        ).all()
        if used:
            connection.execute(text("; ".join(f"ALTER SEQUENCE {sequence} RESTART" for sequence in used)))


def tables_holding_rows(connection: Connection) -> list[str]:
    """The current schema's tables that hold a row (but Alembic's), quoted."""
    tables = connection.scalars(
        text(
            "SELECT quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
        )
    ).all()
    if not tables:
        return []
    return list(connection.scalars(
        text(" UNION ALL ".join(f"SELECT '{table}' WHERE EXISTS (SELECT FROM {table})" for table in tables))
    ).all())


@contextmanager
def autocommit(url: str) -> Iterator[Connection]:
    engine = build_engine(make_url(url).update_query_dict({"connect_timeout": "3"}).render_as_string(False))
    try:
        with engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
    finally:
        engine.dispose()

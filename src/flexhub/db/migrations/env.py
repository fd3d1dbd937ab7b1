"""Alembic environment: migrations run online through flexhub's own engine, one transaction each."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import JSON, Connection

from flexhub.db.base import UtcDateTime
from flexhub.db.engine import build_engine, is_sqlite
from flexhub.db.models import metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our column types as the plain SQLAlchemy types they store, so migrations never import app code."""
    if type_ != "type":
        return False
    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, JSON) and "postgresql" in obj._variant_mapping:
        # Alembic's own rendering of this variant names an unimported `Text`.
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')"
    return False


@contextmanager
def migration_connection(url: str) -> Iterator[Connection]:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            if is_sqlite(engine):
                with foreign_keys_checked_at_end(connection):
                    yield connection
            else:
                yield connection
    finally:
        engine.dispose()


@contextmanager
def foreign_keys_checked_at_end(connection: Connection) -> Iterator[None]:
    """Batch mode rebuilds SQLite tables (copy, drop, rename); with foreign keys on, the drop would fail."""
    # The pragma is a no-op inside a transaction, so it goes to the driver before SQLAlchemy begins one.
    driver = connection.connection.driver_connection
    if driver is None:  # only a connection returned to the pool has none
        raise RuntimeError("the migration's connection has no driver connection")
    driver.execute("PRAGMA foreign_keys=OFF")
    yield
    broken = driver.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:10]}")


def run_migrations_online() -> None:
    with migration_connection(context.config.attributes["database_url"]) as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=True,
            render_item=render_item,
            compare_type=True,
            # SQLite's DDL is transactional too, and our engine issues real BEGINs: each migration is atomic.
            transactional_ddl=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("flexhub migrations run online only: use flexhub.db.migrate.upgrade(url)")
run_migrations_online()

"""Statements that differ between SQLite and PostgreSQL, written once."""

from typing import Any

from sqlalchemy import Connection, Select, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def insert_missing(connection: Connection, table: Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING: create rows that do not exist yet."""
    if not rows:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(insert(table).on_conflict_do_nothing(index_elements=keys), rows)


def for_update(query: Select[Any], connection: Connection, **options: Any) -> Select[Any]:
    """Row locks on PostgreSQL; SQLite needs none, as a writer holds the database lock (BEGIN IMMEDIATE)."""
    return query.with_for_update(**options) if connection.dialect.name == "postgresql" else query

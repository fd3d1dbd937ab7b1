"""Statements that differ between SQLite and PostgreSQL, written once."""

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, Table, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
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


def rows_with_pair(
    connection: Connection, query: Select[Any], pair: tuple[ColumnElement[Any], ColumnElement[Any]],
    keys: Collection[tuple[Any, Any]],
) -> list[Row[Any]]:
    """The rows of `query` (selecting both `pair` columns under their names) whose pair is one of `keys`,
    each key one probe of the pair's index.

    PostgreSQL: the keys as two arrays, unnested and joined LATERAL. Plain IN lists let the planner, on a
    young table without statistics and under a prepared generic plan, filter every row of the tenant
    against every key — a batch then costs in proportion to the table. SQLite: two IN lists (its planner
    probes the index for each), then the exact pairs here.
    """
    first, second = pair
    if connection.dialect.name != "postgresql":
        found = query.where(first.in_({a for a, _ in keys}), second.in_({b for _, b in keys}))
        return [row for row in connection.execute(found) if (row._mapping[first.key], row._mapping[second.key]) in keys]
    wanted = func.unnest(
        bindparam("first_keys", [a for a, _ in keys], type_=ARRAY(first.type)),
        bindparam("second_keys", [b for _, b in keys], type_=ARRAY(second.type)),
    ).table_valued("first", "second").render_derived(name="wanted")
    matching = query.where(first == wanted.c.first, second == wanted.c.second).lateral()
    return list(connection.execute(select(*matching.c).select_from(wanted).join(matching, true())))

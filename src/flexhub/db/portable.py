"""Statements that differ between SQLite and PostgreSQL, written once."""

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, FromClause, Row, Select, Table, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import QueryableAttribute

SqlColumn = ColumnElement[Any] | QueryableAttribute[Any]  # a column, or a mapped class's attribute for one
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])
AnyRow = Row[*tuple[Any, ...]]


def insert_missing(connection: Connection, table: FromClause, rows: list[dict[str, Any]], keys: list[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING: create rows that do not exist yet."""
    if not rows:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(insert(_table(table)).on_conflict_do_nothing(index_elements=keys), rows)


def insert_if_absent(connection: Connection, table: FromClause, row: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING for one row: whether it went in (False: one with its keys is there, or
    went in from a transaction that committed while this one waited for it)."""
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    target = _table(table)
    returned = insert(target).values(**row).on_conflict_do_nothing().returning(*target.primary_key.columns)
    return connection.execute(returned).first() is not None  # (a single INSERT's rowcount is not kept)


def _table(table: FromClause) -> Table:
    """The table itself: a mapped class's `__table__` is typed as any FROM clause, and only a table takes an INSERT."""
    if not isinstance(table, Table):
        raise TypeError(f"{table!r} is not a table")
    return table


def for_update(query: AnySelect, connection: Connection, **options: Any) -> AnySelect:
    """Row locks on PostgreSQL; SQLite needs none, as a writer holds the database lock (BEGIN IMMEDIATE)."""
    return query.with_for_update(**options) if connection.dialect.name == "postgresql" else query


def rows_with_pair(
    connection: Connection, columns: Sequence[SqlColumn], pair: tuple[SqlColumn, SqlColumn],
    keys: Collection[tuple[Any, Any]], *, scope: tuple[SqlColumn, Any],
) -> list[AnyRow]:
    """`columns` (the `pair` among them) of the rows whose pair is one of `keys` and whose `scope` column (the
    tenant) has the given value: one probe of the pair's unique index per key.

    PostgreSQL: the keys as two arrays, unnested, each joined LATERAL to its row; the scope is checked
    outside, so the only index the lookup can use is the pair's. Otherwise, on a young table without
    statistics (and a prepared plan chosen while it was small), the planner scans every row of the tenant
    for each key, and a batch costs in proportion to the table. SQLite: two IN lists (its planner probes
    the index for each), then the exact pairs here.
    """
    first, second = pair
    scope_column, scope_value = scope
    if connection.dialect.name != "postgresql":
        query = select(*columns).where(
            scope_column == scope_value, first.in_({a for a, _ in keys}), second.in_({b for _, b in keys})
        )
        first_key, second_key = _key(first), _key(second)
        return [row for row in connection.execute(query) if (row._mapping[first_key], row._mapping[second_key]) in keys]
    wanted = func.unnest(
        bindparam("first_keys", [a for a, _ in keys], type_=ARRAY(first.type)),
        bindparam("second_keys", [b for _, b in keys], type_=ARRAY(second.type)),
    ).table_valued("first", "second").render_derived(name="wanted")
    selected = [*columns, *([] if any(c is scope_column for c in columns) else [scope_column])]
    # OFFSET 0: the subquery stays a probe per key; it is neither flattened into a join nor given the scope.
    matching = select(*selected).where(first == wanted.c.first, second == wanted.c.second).offset(0).lateral()
    query = select(*(matching.c[_key(c)] for c in columns)).select_from(wanted).join(matching, true())
    return list(connection.execute(query.where(matching.c[_key(scope_column)] == scope_value)))


def _key(column: SqlColumn) -> str:
    """The name a column goes by in a row and in a subquery's columns (an expression without one has no place here)."""
    if column.key is None:
        raise TypeError(f"{column!r} has no name")
    return column.key

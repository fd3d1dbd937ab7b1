"""Keyset paging: a page is the rows after the cursor in the chosen sort (the row id breaking ties), read with an
index-friendly WHERE rather than an OFFSET that reads every row before it; the total counts the filtered list.
Exports read the same list in batches the same way, each batch in a short read of its own."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Row, Select, SQLColumnExpression, and_, func, or_, select

from flexhub.lists.rules import SortOrder, decode_cursor, encode_cursor, parse_sort

SORT_VALUE, TIE = "list_sort_value", "list_tie"
EXPORT_BATCH = 1000

AnySelect = Select[*tuple[Any, ...]]
Column = SQLColumnExpression[Any]
Shape = Callable[[Connection, Sequence[Row[Any]]], list[dict[str, Any]]]


@dataclass(frozen=True)
class ListSpec:
    """A capability's list: the filtered query (tenant-scoped by its owner, no ORDER BY), the columns it may be
    sorted by (none of them nullable), the unique column breaking ties, and how a batch of rows becomes items."""

    query: AnySelect
    sorts: Mapping[str, Column]
    tie: Column
    default_sort: str
    shape: Shape
    near: AnySelect | None = None  # the same list finding each word or one an edit away: when `query` finds nothing

    def sort_order(self, text: str | None) -> SortOrder:
        return parse_sort(text, list(self.sorts), self.default_sort)

    def nearby(self) -> "ListSpec":
        assert self.near is not None
        return replace(self, query=self.near, near=None)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int  # rows in the filtered list, on every page
    next_cursor: str | None  # None on the last page
    sort: SortOrder
    near: bool = False  # no row held every word searched: these hold each word or one an edit away


def page_of(connection: Connection, spec: ListSpec, *, sort: str | None, cursor: str | None, limit: int) -> Page:
    order = spec.sort_order(sort)
    total, near = _count(connection, spec.query), False
    if total == 0 and spec.near is not None and (found := _count(connection, spec.near)):
        spec, total, near = spec.nearby(), found, True  # nothing holds the words as typed: one edit away, every page
    rows = connection.execute(_batch(spec, order, cursor, limit + 1)).all()
    more, rows = len(rows) > limit, rows[:limit]
    following = encode_cursor(order, [rows[-1]._mapping[SORT_VALUE], rows[-1]._mapping[TIE]]) if more else None
    return Page(spec.shape(connection, rows), total, following, order, near)


def _count(connection: Connection, query: AnySelect) -> int:
    return connection.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


def every_row(connect: Callable[[], AbstractContextManager[Connection]], spec: ListSpec, *, sort: str | None,
              batch: int = EXPORT_BATCH) -> Iterator[dict[str, Any]]:
    """Every item of the list in order, read `batch` rows at a time, a connection held only while one is read."""
    order, cursor = spec.sort_order(sort), None
    while True:
        with connect() as connection:
            if cursor is None and spec.near is not None and _none(connection, spec.query):
                spec = spec.nearby()  # as page_of: the near matches when nothing holds the words as typed
            rows = connection.execute(_batch(spec, order, cursor, batch)).all()
            items = spec.shape(connection, rows)
        yield from items
        if len(rows) < batch:
            return
        cursor = encode_cursor(order, [rows[-1]._mapping[SORT_VALUE], rows[-1]._mapping[TIE]])


def _none(connection: Connection, query: AnySelect) -> bool:
    return connection.execute(query.order_by(None).limit(1)).first() is None


def _batch(spec: ListSpec, order: SortOrder, cursor: str | None, limit: int) -> AnySelect:
    column = spec.sorts[order.field]
    query = spec.query.add_columns(column.label(SORT_VALUE), spec.tie.label(TIE))
    if cursor is not None:
        value, tie = decode_cursor(cursor, order, 2)
        if order.descending:
            query = query.where(or_(column < value, and_(column == value, spec.tie < tie)))
        else:
            query = query.where(or_(column > value, and_(column == value, spec.tie > tie)))
    ordering = (column.desc(), spec.tie.desc()) if order.descending else (column.asc(), spec.tie.asc())
    return query.order_by(*ordering).limit(limit)

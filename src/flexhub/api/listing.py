"""The paging every list endpoint takes (`sort`, `cursor`, `limit`) and the answer's frame around its items:
the total of the filtered list, the next page's cursor (null on the last) and the sort applied."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from flexhub.lists import ListSpec, page_of

MAX_LIMIT = 500


@dataclass(frozen=True)
class Paging:
    sort: str | None
    cursor: str | None
    limit: int


def paging(sort: Annotated[str | None, Query(max_length=40, description="a field the list sorts by; a leading - "
                                                                      "sorts descending")] = None,
           cursor: Annotated[str | None, Query(max_length=400, description="`next_cursor` of the page before")] = None,
           limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50) -> Paging:
    return Paging(sort, cursor, limit)


PagingDep = Annotated[Paging, Depends(paging)]


class PageFrame(BaseModel):
    total: int = Field(description="items matching the filters, on every page")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    sort: str


def listed(connection: Connection, spec: ListSpec, paging: Paging, key: str) -> dict[str, Any]:
    """`{key: items, total, next_cursor, sort}` for one page of the list."""
    found = page_of(connection, spec, sort=paging.sort, cursor=paging.cursor, limit=paging.limit)
    return {key: found.items, "total": found.total, "next_cursor": found.next_cursor, "sort": found.sort.text}

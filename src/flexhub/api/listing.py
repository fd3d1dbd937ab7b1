"""The paging every list endpoint takes (`sort`, `cursor`, `limit`) and the answer's frame around its items:
the total of the filtered list, the next page's cursor (null on the last) and the sort applied; and the same
filtered list exported whole as CSV or Excel."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from flexhub.bootstrap import Hub
from flexhub.identity import tenant_time_zone
from flexhub.kernel.messages import Actor
from flexhub.kernel.zones import zone
from flexhub.lists import FORMATS, Column, ListSpec, every_row, export_table, page_of

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
    near: bool = Field(default=False, description=(
        "true when no item held every word of `q` as typed: those shown hold each word, or one a single edit away "
        "(a letter changed, added, dropped or two swapped)"))


def listed(connection: Connection, spec: ListSpec, paging: Paging, key: str) -> dict[str, Any]:
    """`{key: items, total, next_cursor, sort, near}` for one page of the list."""
    found = page_of(connection, spec, sort=paging.sort, cursor=paging.cursor, limit=paging.limit)
    return {key: found.items, "total": found.total, "next_cursor": found.next_cursor, "sort": found.sort.text,
            "near": found.near}


@dataclass(frozen=True)
class Export:
    format: str
    sort: str | None


def export_options(format: Annotated[str, Query(description="csv or xlsx")] = "csv",
                   sort: Annotated[str | None, Query(max_length=40, description="as the list's")] = None) -> Export:
    return Export(format, sort)


ExportDep = Annotated[Export, Depends(export_options)]
FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in FORMATS.values()}, "description": "every item the filters match"}}


def exported(hub: Hub, actor: Actor, spec: ListSpec, options: Export, name: str,
             columns: Callable[[ZoneInfo], Sequence[Column]]) -> StreamingResponse:
    """Every item of the filtered list as a file, streamed; its times on the tenant's clock (UTC when it has set
    no zone), the zone named in their columns' headings. A bad sort or format is refused before it starts."""
    spec.sort_order(options.sort)
    with hub.uow(write=False) as uow:
        where = zone(tenant_time_zone(uow.connection, actor.tenant_id) or "UTC")
    return export_table(options.format, name, columns(where), every_row(hub.engine.connect, spec, sort=options.sort))

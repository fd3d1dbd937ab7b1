"""Saved filters on the list pages (the orders, the stock levels): the bar above a list shows the signed-in person's
filters and those shared with them, each a link that applies it; a form keeps the page's filters under a name, and
its owner deletes one. The same commands as /api/v1/saved-filters, refused alike (an error page says why)."""

import uuid
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection

from flexhub.api.auth import HubDep
from flexhub.filters import DeleteFilter, InvalidFilter, SaveFilter, saved_filters
from flexhub.kernel.messages import Actor
from flexhub.web.session import WebActor

router = APIRouter(include_in_schema=False)
PAGES = {"orders": "/orders", "stock": "/inventory"}  # the page of each list a filter can be saved for


def filter_bar(connection: Connection, actor: Actor, list_name: str, query: dict[str, str],
               chosen: uuid.UUID | None = None) -> dict[str, Any]:
    """What a list page's bar shows: each saved filter with the address that applies it by its id (`?filter=`, read
    by filters.applied as the API reads it; the one applied now marked), and the page's filters as the save form
    sends them."""
    shown = [{**found, "url": f"{PAGES[list_name]}?{urlencode({'filter': found['id']})}",
              "applied": found["id"] == str(chosen) or found["filters"] == query}
             for found in saved_filters(connection, actor, list_name)]
    return {"list": list_name, "saved": shown, "query": urlencode(query)}


def page_url(list_name: str, filters: dict[str, str]) -> str:
    return f"{PAGES[list_name]}?{urlencode(filters)}" if filters else PAGES[list_name]


@router.post("/saved-filters")
def save(actor: WebActor, hub: HubDep, list: Annotated[str, Form(max_length=32)],  # noqa: A002 (the form's word)
         name: Annotated[str, Form(max_length=200)] = "", query: Annotated[str, Form(max_length=2000)] = "",
         shared: Annotated[bool, Form()] = False) -> RedirectResponse:
    if list not in PAGES:
        raise InvalidFilter(f"no list {list!r}: one of {', '.join(PAGES)}", field="list")
    filters = dict(parse_qsl(query))
    saved = hub.handle(SaveFilter(actor=actor, list_name=list, name=name, query=filters, shared=shared))
    return RedirectResponse(page_url(list, saved.query), status_code=303)


@router.post("/saved-filters/{filter_id}/delete")
def delete(filter_id: uuid.UUID, actor: WebActor, hub: HubDep,
           back: Annotated[str, Form(max_length=32)] = "orders") -> RedirectResponse:
    hub.handle(DeleteFilter(actor=actor, filter_id=filter_id))
    return RedirectResponse(PAGES.get(back, "/orders"), status_code=303)

"""Saved filter routes: /api/v1/saved-filters — a caller's filters (and those shared with it), save one, delete
one of its own."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from flexhub.api.auth import HubDep, Reader
from flexhub.filters.commands import DeleteFilter, SaveFilter
from flexhub.filters.queries import saved_filter, saved_filters
from flexhub.filters.schemas import SavedFilterIn, SavedFilterListOut, SavedFilterOut

router = APIRouter(prefix="/api/v1/saved-filters", tags=["lists"])


@router.get("", response_model=SavedFilterListOut)
def list_saved_filters(actor: Reader, hub: HubDep, list: Annotated[str | None, Query(  # noqa: A002 (the API's word)
        max_length=32, description="orders | stock; every list when left out")] = None) -> dict[str, Any]:
    """The caller's saved filters and those others shared with it, by list and name."""
    with hub.uow(write=False) as uow:
        return {"saved_filters": saved_filters(uow.connection, actor, list)}


@router.post("", response_model=SavedFilterOut, status_code=201)
def save_filter(body: SavedFilterIn, actor: Reader, hub: HubDep) -> dict[str, Any]:
    """Keep a list's filters under a name. 422 `filters.invalid` (a name, list, filter or value it cannot keep, a
    phone in a shared filter), 403 `filters.personal_data` (a phone from a role that may not see phones), 409
    `filters.name_taken` (the caller's name for another filter of that list); nothing written then."""
    saved = hub.handle(SaveFilter(actor=actor, list_name=body.list, name=body.name, query=body.filters,
                                  shared=body.shared))
    return _view(hub, actor, saved.id)


@router.get("/{filter_id}", response_model=SavedFilterOut)
def get_saved_filter(filter_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict[str, Any]:
    return _view(hub, actor, filter_id)


@router.delete("/{filter_id}", status_code=204, response_class=Response)
def delete_saved_filter(filter_id: uuid.UUID, actor: Reader, hub: HubDep) -> Response:
    """404 `filters.unknown_filter` for one the caller does not see; 403 `filters.not_yours` for one shared with
    it by someone else."""
    hub.handle(DeleteFilter(actor=actor, filter_id=filter_id))
    return Response(status_code=204)


def _view(hub: HubDep, actor: Any, filter_id: uuid.UUID) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return saved_filter(uow.connection, actor, filter_id)

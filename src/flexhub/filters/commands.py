"""Saved filter commands, and what each answers."""

import uuid
from dataclasses import dataclass, field

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class SaveFilter(Command):
    """Keep the filters of a list page under a name, for the actor (and, `shared`, for the rest of its tenant or
    partner)."""

    list_name: str
    name: str
    query: dict[str, str] = field(default_factory=dict)
    shared: bool = False


@dataclass(frozen=True, kw_only=True)
class DeleteFilter(Command):
    """Its owner deletes a saved filter."""

    filter_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class FilterSaved:
    id: uuid.UUID
    list_name: str
    name: str
    query: dict[str, str]
    shared: bool


@dataclass(frozen=True, slots=True)
class FilterDeleted:
    id: uuid.UUID

"""The audit log: who wrote what, when, under which request id. Every write handler records here.

A combined batch (the order writer's) writes its entries together: one row per actor, whose detail lists every
entry (`{"entries": [{"entity_id", "request_id", **detail}, ...]}`, its `entity_id` the word `batch`). Readers never
see that row: `audit_entries` gives each entry as a row of its own, found by its entity id like any other."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity.repository import insert_audit_entries
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor

BATCH = "batch"  # the entity_id of a row that holds many entries


@dataclass(frozen=True, slots=True)
class Audited:
    action: str
    entity: str
    entity_id: str | uuid.UUID
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry as readers see it, whether it has a row of its own or is listed in a batch's."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    actor: str
    role: str
    partner_id: uuid.UUID | None
    action: str
    entity: str
    entity_id: str
    request_id: str | None
    detail: dict[str, Any]
    at: datetime


def record(uow: UnitOfWork, actor: Actor, *entries: Audited) -> None:
    record_each(uow, [(actor, entry) for entry in entries])


def record_each(uow: UnitOfWork, entries: list[tuple[Actor, Audited]]) -> None:
    """Entries written by different actors in one transaction (a combined batch), in one statement."""
    at = clock.now()
    rows = [_row(actor, e.action, e.entity, str(e.entity_id), actor.request_id, e.detail, at, new_id)
            for actor, e in entries]
    if rows:
        insert_audit_entries(uow.connection, rows)


def record_together(uow: UnitOfWork, entries: list[tuple[Actor, Audited]], *, at: datetime) -> None:
    """A batch's entries of one action and entity, one row per actor (`rows_together`)."""
    rows = rows_together(entries, at=at, ids=new_id)
    if rows:
        insert_audit_entries(uow.connection, rows)


def rows_together(entries: list[tuple[Actor, Audited]], *, at: datetime,
                  ids: Callable[[], uuid.UUID]) -> list[dict[str, Any]]:
    """The rows of a batch's entries (one action and entity): an actor's one entry is a row of its own as
    `record_each` writes it; its several are one row listing them. `at` is the batch's moment, the one its entities
    are stamped with (orders' `created_at`), by which a reader finds the row (`audit_entries`' `listed_at`)."""
    by_actor: dict[tuple[Any, ...], list[tuple[Actor, Audited]]] = {}
    for actor, entry in entries:
        by_actor.setdefault((actor.tenant_id, actor.name, actor.role, actor.partner_id), []).append((actor, entry))
    rows = []
    for group in by_actor.values():
        actor, first = group[0]
        if len(group) == 1:
            rows.append(_row(actor, first.action, first.entity, str(first.entity_id), actor.request_id, first.detail,
                             at, ids))
            continue
        listed = [{"entity_id": str(e.entity_id), "request_id": a.request_id, **e.detail} for a, e in group]
        requests = {a.request_id for a, _ in group}
        rows.append(_row(actor, first.action, first.entity, BATCH, requests.pop() if len(requests) == 1 else None,
                         {"entries": listed}, at, ids))
    return rows


def entries_of(rows: Iterable[Any], entity_id: str | None = None) -> list[Entry]:
    """Rows as entries: a batch's row becomes each entry it lists (only `entity_id`'s when given)."""
    entries = []
    for row in rows:
        if row.entity_id != BATCH:
            if entity_id is None or row.entity_id == entity_id:
                entries.append(Entry(row.id, row.tenant_id, row.actor, row.role, row.partner_id, row.action,
                                     row.entity, row.entity_id, row.request_id, row.detail, row.at))
            continue
        for listed in row.detail["entries"]:
            if entity_id is None or listed["entity_id"] == entity_id:
                detail = {k: v for k, v in listed.items() if k not in ("entity_id", "request_id")}
                entries.append(Entry(row.id, row.tenant_id, row.actor, row.role, row.partner_id, row.action,
                                     row.entity, listed["entity_id"], listed["request_id"], detail, row.at))
    return entries


def _row(actor: Actor, action: str, entity: str, entity_id: str, request_id: str | None, detail: dict[str, Any],
         at: datetime, ids: Callable[[], uuid.UUID]) -> dict[str, Any]:
    return {"id": ids(), "tenant_id": actor.tenant_id, "actor": actor.name, "role": actor.role,
            "partner_id": actor.partner_id, "action": action, "entity": entity, "entity_id": entity_id,
            "request_id": request_id, "detail": detail, "at": at}

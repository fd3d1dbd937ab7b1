"""The audit log: who wrote what, when, under which request id. Every write handler records here."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity.repository import insert_audit_entries
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.messages import Actor


@dataclass(frozen=True, slots=True)
class Audited:
    action: str
    entity: str
    entity_id: str | uuid.UUID
    detail: dict[str, Any] = field(default_factory=dict)


def record(uow: UnitOfWork, actor: Actor, *entries: Audited) -> None:
    record_each(uow, [(actor, entry) for entry in entries])


def record_each(uow: UnitOfWork, entries: list[tuple[Actor, Audited]]) -> None:
    """Entries written by different actors in one transaction (a combined batch), in one statement."""
    at = clock.now()
    rows = [
        {
            "id": new_id(),
            "tenant_id": actor.tenant_id,
            "actor": actor.name,
            "role": actor.role,
            "partner_id": actor.partner_id,
            "action": e.action,
            "entity": e.entity,
            "entity_id": str(e.entity_id),
            "request_id": actor.request_id,
            "detail": e.detail,
            "at": at,
        }
        for actor, e in entries
    ]
    if rows:
        insert_audit_entries(uow.connection, rows)

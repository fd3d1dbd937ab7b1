"""Saved filter reads: what an actor sees (its own, and those shared within its tenant, or within its partner for
a partner's sign-in), by list and name; one of them by id."""

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from flexhub.filters.errors import UnknownFilter
from flexhub.filters.model import SavedFilter
from flexhub.kernel.messages import Actor


def saved_filters(connection: Connection, actor: Actor, list_name: str | None = None) -> list[dict[str, Any]]:
    query = select(SavedFilter).where(SavedFilter.tenant_id == actor.tenant_id, _seen_by(actor))
    if list_name is not None:
        query = query.where(SavedFilter.list_name == list_name)
    rows = connection.execute(query.order_by(SavedFilter.list_name, SavedFilter.name, SavedFilter.id))
    return [_view(row, actor) for row in rows]


def saved_filter(connection: Connection, actor: Actor, filter_id: uuid.UUID) -> dict[str, Any]:
    """One the actor sees; UnknownFilter for another tenant's, another person's unshared one or none."""
    row = connection.execute(select(SavedFilter).where(SavedFilter.tenant_id == actor.tenant_id,
                                                       SavedFilter.id == filter_id, _seen_by(actor))).first()
    if row is None:
        raise UnknownFilter(f"no saved filter {filter_id}")
    return _view(row, actor)


def _seen_by(actor: Actor) -> ColumnElement[bool]:
    same_circle = (SavedFilter.partner_id.is_(None) if actor.partner_id is None
                   else SavedFilter.partner_id == actor.partner_id)
    return or_(SavedFilter.owner == actor.name, and_(SavedFilter.shared, same_circle))


def _view(row: Any, actor: Actor) -> dict[str, Any]:
    return {"id": str(row.id), "list": row.list_name, "name": row.name, "filters": dict(row.query),
            "shared": row.shared, "mine": row.owner == actor.name, "created_at": row.created_at}

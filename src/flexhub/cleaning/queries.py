"""Cleaning's read side: an order's holds, the open holds of a tenant (or of a partner's orders), and an address
checked against the tenant's address rules (for a person editing a held order's address)."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from flexhub.cleaning import checks, repository, screening
from flexhub.cleaning.model import OrderHold
from flexhub.kernel import clock


def _view(row: Any) -> dict[str, Any]:
    return {"id": str(row.id), "order_id": str(row.order_id), "reason": row.reason, "findings": row.findings,
            "held_at": row.held_at, "closed_at": row.closed_at, "closed_by": row.closed_by, "outcome": row.outcome}


def holds_of(connection: Connection, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID], *,
             open_only: bool = True) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in repository.holds_of(connection, tenant_id, order_ids, open_only=open_only):
        found.setdefault(str(row.order_id), []).append(_view(row))
    return found


def open_holds(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
    query = select(OrderHold).where(OrderHold.tenant_id == tenant_id, OrderHold.closed_at.is_(None))
    if partner_id is not None:
        query = query.where(OrderHold.partner_id == partner_id)
    return [_view(row) for row in connection.execute(query.order_by(OrderHold.held_at.desc()).limit(limit))]


def held_orders(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, reason: str
                ) -> list[tuple[uuid.UUID, datetime]]:
    """The partner's orders with an open hold for `reason` (e.g. `credit_limit`), oldest hold first."""
    query = (select(OrderHold.order_id, OrderHold.held_at)
             .where(OrderHold.tenant_id == tenant_id, OrderHold.partner_id == partner_id,
                    OrderHold.reason == reason, OrderHold.closed_at.is_(None))
             .order_by(OrderHold.held_at, OrderHold.id))
    return [(row.order_id, row.held_at) for row in connection.execute(query)]


def check_address(connection: Connection, tenant_id: uuid.UUID, channel: str, buyer: Mapping[str, Any],
                  address: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The address normalised by the tenant's address rules for `channel`, and what they still find wrong."""
    rules = [r for r in screening.stored_rules(connection, tenant_id)
             if r.enabled and r.kind == "address" and r.channel in (None, channel)]
    order = checks.Candidate(channel=channel, currency="", buyer=buyer, address=address, lines=(), total=0)
    normal, problems = dict(address), []
    for rule in rules:
        found = checks.run(rule.kind, rule.params, order, screening.History(), screening.places(), clock.now())
        normal = found.address or normal
        problems += [{"rule": rule.name, "action": rule.action, "code": code, "reason": reason}
                     for code, reason in found.problems]
    return normal, problems

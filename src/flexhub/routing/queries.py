"""Reading routing: an order's latest decision with every scored plan and its history; a tenant's policy."""

import uuid
from typing import Any

from sqlalchemy import Connection, select

from flexhub.ordering import UnknownOrder
from flexhub.ordering.model import Order
from flexhub.routing import repository
from flexhub.routing.errors import NoDecision
from flexhub.routing.policy import policy_from


def decision_view(
    connection: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID, *, partner_id: uuid.UUID | None = None
) -> dict[str, Any]:
    query = select(Order.id).where(Order.tenant_id == tenant_id, Order.id == order_id)
    if partner_id is not None:
        query = query.where(Order.partner_id == partner_id)
    if connection.execute(query).first() is None:
        raise UnknownOrder(f"no order {order_id}")
    found = repository.decisions(connection, tenant_id, order_id)
    if not found:
        raise NoDecision(f"order {order_id} has not been routed yet")
    latest = found[0]
    return {
        **_summary(latest), "order_id": str(order_id), "actor": latest.actor, "plan": latest.plan,
        "candidates": latest.candidates, "rejected": latest.rejected, "excluded": latest.excluded,
        "short_skus": latest.short_skus, "policy_revision": latest.policy_version,
        "history": [_summary(d) for d in found],
    }


def policy_view(connection: Connection, tenant_id: uuid.UUID) -> dict[str, Any]:
    """The policy in force (the stored document over the defaults) and its revision (0: never changed)."""
    row = repository.policy_document(connection, tenant_id)
    policy = policy_from(row.document if row else None)
    return {"revision": row.version if row else 0, "policy": policy.model_dump(mode="json")}


def _summary(row: Any) -> dict[str, Any]:
    return {"decision_id": str(row.id), "outcome": row.outcome, "trigger": row.trigger, "nodes": row.nodes,
            "reason": row.reason, "decided_at": row.created_at}

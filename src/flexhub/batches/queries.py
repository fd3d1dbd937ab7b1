"""Batch reads: one batch with its progress and each order's outcome, and the tenant's latest batches."""

import uuid
from collections import Counter
from typing import Any

from sqlalchemy import Connection, select

from flexhub import ordering
from flexhub.batches.errors import UnknownBatch
from flexhub.batches.model import OrderBatch, OrderBatchItem


def batch_view(connection: Connection, tenant_id: uuid.UUID, batch_id: uuid.UUID, *,
               partner_id: uuid.UUID | None = None) -> dict[str, Any]:
    """The batch, how far it is (done, failed, waiting) and each order: its number, outcome and status now."""
    query = select(OrderBatch).where(OrderBatch.tenant_id == tenant_id, OrderBatch.id == batch_id)
    if partner_id is not None:
        query = query.where(OrderBatch.partner_id == partner_id)
    batch = connection.execute(query).one_or_none()
    if batch is None:
        raise UnknownBatch(f"no batch {batch_id}")
    items = connection.execute(select(OrderBatchItem).where(OrderBatchItem.batch_id == batch_id)
                               .order_by(OrderBatchItem.position)).all()
    numbers = ordering.order_numbers(connection, tenant_id, [i.order_id for i in items], partner_id=partner_id)
    counts = Counter(i.state for i in items)
    return {"id": str(batch.id), "action": batch.action, "state": batch.state, "total": batch.total,
            "done": counts["done"], "failed": counts["failed"], "waiting": counts["pending"] + counts["running"],
            "options": batch.options, "created_by": batch.created_by, "created_at": batch.created_at,
            "finished_at": batch.finished_at,
            "orders": [{"order_id": str(i.order_id), "external_id": numbers.get(i.order_id, ("", ""))[0],
                        "status": numbers.get(i.order_id, ("", ""))[1], "state": i.state, "outcome": i.outcome,
                        "error": i.error} for i in items]}


def recent_batches(connection: Connection, tenant_id: uuid.UUID, *, partner_id: uuid.UUID | None = None,
                   limit: int = 10) -> list[dict[str, Any]]:
    query = select(OrderBatch).where(OrderBatch.tenant_id == tenant_id)
    if partner_id is not None:
        query = query.where(OrderBatch.partner_id == partner_id)
    rows = connection.execute(query.order_by(OrderBatch.created_at.desc(), OrderBatch.id.desc()).limit(limit))
    return [{"id": str(r.id), "action": r.action, "state": r.state, "total": r.total, "created_by": r.created_by,
             "created_at": r.created_at} for r in rows]

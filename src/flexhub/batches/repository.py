"""Batch writes: a batch and its orders added, each order claimed before its command runs (compare-and-set, so a
second runner never repeats it) and its outcome kept, and a batch closed once none of its orders waits."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from flexhub.batches.model import OrderBatch, OrderBatchItem


def insert_batch(connection: Connection, batch: dict[str, Any], order_ids: list[uuid.UUID]) -> None:
    connection.execute(insert(OrderBatch), [batch])
    connection.execute(insert(OrderBatchItem), [
        {"batch_id": batch["id"], "position": n, "order_id": order_id, "state": "pending"}
        for n, order_id in enumerate(order_ids)])


def waiting_items(connection: Connection, limit: int) -> list[Any]:
    """Orders of running batches still waiting, oldest batch first, each with what its batch asks."""
    return list(connection.execute(
        select(OrderBatchItem.batch_id, OrderBatchItem.position, OrderBatchItem.order_id, OrderBatch.tenant_id,
               OrderBatch.partner_id, OrderBatch.action, OrderBatch.options, OrderBatch.role, OrderBatch.created_by)
        .join(OrderBatch, OrderBatch.id == OrderBatchItem.batch_id)
        .where(OrderBatch.state == "running", OrderBatchItem.state == "pending")
        .order_by(OrderBatch.created_at, OrderBatch.id, OrderBatchItem.position).limit(limit)))


def claim_item(connection: Connection, batch_id: uuid.UUID, position: int) -> bool:
    changed = connection.execute(update(OrderBatchItem).where(
        OrderBatchItem.batch_id == batch_id, OrderBatchItem.position == position, OrderBatchItem.state == "pending")
        .values(state="running"))
    return changed.rowcount == 1


def finish_item(connection: Connection, batch_id: uuid.UUID, position: int, *, state: str, outcome: str,
                error: str | None, at: datetime) -> None:
    connection.execute(update(OrderBatchItem).where(
        OrderBatchItem.batch_id == batch_id, OrderBatchItem.position == position)
        .values(state=state, outcome=outcome[:64], error=error, done_at=at))


def close_finished(connection: Connection, batch_ids: set[uuid.UUID], at: datetime) -> None:
    """Batches none of whose orders waits or runs any more are done."""
    open_items = exists().where(OrderBatchItem.batch_id == OrderBatch.id,
                                OrderBatchItem.state.in_(("pending", "running")))
    connection.execute(update(OrderBatch).where(OrderBatch.id.in_(batch_ids), OrderBatch.state == "running",
                                                ~open_items).values(state="done", finished_at=at))

"""Batch commands, and what starting one answers."""

import uuid
from dataclasses import dataclass

from flexhub.kernel.messages import Command

# Each action, and the permission a role needs for it (the same its single-order command needs at the API).
ACTIONS: dict[str, str] = {"hold": "orders.write", "release": "orders.write", "cancel": "orders.write",
                           "route": "routing.write", "ship": "inventory.write"}
MAX_ORDERS = 500


@dataclass(frozen=True, kw_only=True)
class StartOrderBatch(Command):
    """Do `action` to each of these orders in the background; `reason` goes with a hold or cancel, `carrier` with
    the shipments made."""

    action: str
    order_ids: tuple[str, ...]
    reason: str = ""
    carrier: str | None = None


@dataclass(frozen=True, slots=True)
class BatchStarted:
    id: uuid.UUID
    total: int


@dataclass(frozen=True, kw_only=True)
class RunOrderBatches:
    """Work through the orders batches still wait for (a system job; one process at a time runs it)."""

    limit: int = 200

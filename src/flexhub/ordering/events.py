"""Ordering events."""

from dataclasses import dataclass
from typing import Any

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class OrdersReceived(Event):
    """The new orders one batch of the writer stored, each `{"order_id", "channel", "external_id", "status"}`:
    one event per batch, whose consumers take each order it lists (`orders_received`)."""

    orders: list[dict[str, str]]


# A batch's event, and the one-order event written before batches were (still in outboxes and streams then).
RECEIVED = ("OrdersReceived", "OrderReceived")


def orders_received(body: dict[str, Any]) -> list[dict[str, str]]:
    """Each order an OrdersReceived lists, or the one an OrderReceived names."""
    listed: list[dict[str, str]] = body["orders"] if "orders" in body else [body]
    return listed


def order_ids(body: dict[str, Any]) -> list[str]:
    """The orders an order event is about: each a batch lists, or the one it names."""
    return [order["order_id"] for order in orders_received(body)]


@dataclass(frozen=True, kw_only=True)
class OrderUpdated(Event):
    order_id: str
    status: str
    version: int


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    order_id: str
    reason: str
    released_units: int


@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(Event):
    """Written by `advance_order`, the one writer of an order's status, for every change it makes."""

    order_id: str
    previous: str
    status: str
    reason: str | None
    version: int

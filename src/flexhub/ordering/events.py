"""Ordering events."""

from dataclasses import dataclass

from flexhub.kernel.messages import Event


@dataclass(frozen=True, kw_only=True)
class OrderReceived(Event):
    order_id: str
    channel: str
    external_id: str
    status: str


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

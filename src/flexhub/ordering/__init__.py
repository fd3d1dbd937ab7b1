"""Ordering: the canonical order every channel's orders become, its import and its state machine.

Its public face: `advance_order`, the one writer of an order's status, which other capabilities call."""

from flexhub.ordering.status import OrderState, advance_order

__all__ = ["OrderState", "advance_order"]

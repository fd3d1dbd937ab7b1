"""Ordering: the canonical order every channel's orders become, its import and its state machine.

Its public face (`__init__.pyi`) includes `advance_order`, the one writer of an order's status."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

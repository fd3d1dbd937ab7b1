"""Fulfilment: shipments from routed orders, pick/pack/ship, waybills, tracking, pickup and channel notices."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

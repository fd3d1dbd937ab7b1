"""Purchasing: which supplier supplies which SKU, purchase and production orders with their state machine,
the supplier portal (confirm, change, announce shipments), and receiving against shipment notices."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

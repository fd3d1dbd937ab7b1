"""Purchasing: which supplier supplies which SKU, purchase and production orders with their state machine,
the supplier portal (confirm, change, announce shipments), and receiving against shipment notices."""

from flexhub.purchasing.queries import on_order, sourcing_terms

__all__ = ["on_order", "sourcing_terms"]

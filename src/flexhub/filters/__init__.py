"""Saved filters: a person's named filter sets of the list pages (the orders, the stock levels), kept per user or
key, and shared with the rest of the tenant (or of the partner) when its owner says so."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

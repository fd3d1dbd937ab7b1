"""Inventory: locations, the movement ledger, stock levels per pool, reservations and transfers."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

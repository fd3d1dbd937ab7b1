"""Stock alerts per SKU × node: a stock-out predicted within the lead time plus the review period, and excess
stock (cover beyond a threshold). A package of its own, not a module of replenishment: it owns a table, events,
a periodic job and routes; it reads replenishment's plan through its query functions."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

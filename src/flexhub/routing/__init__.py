"""Routing: which node ships each order — candidate nodes, scored plans, split only when it pays."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

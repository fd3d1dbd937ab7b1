"""Shipping: carriers (quotes, waybills, labels, tracking by poll and push) behind one pure adapter protocol."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

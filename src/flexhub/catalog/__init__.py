"""Catalog: SPUs (products), SKUs (variants) with routing attributes, and bundles of SKUs."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

"""Returns: RMAs from a channel refund request or by hand, receipt at a node, inspection and restock."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

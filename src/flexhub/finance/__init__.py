"""Finance: the platforms' settlement statements imported as they publish them, fee terms per channel versioned by
date, and reconciliation of every statement line against the hub's orders, refunds and fees."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

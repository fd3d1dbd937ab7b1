"""Channels: the stores a brand sells through, each on a platform, and what pools each may sell."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

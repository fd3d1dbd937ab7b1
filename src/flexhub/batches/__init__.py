"""Batches: many orders chosen on the orders page (or sent to the API) and one action done to each of them (hold,
release, cancel, route, make shipments), one order at a time through that action's own command on the bus, in the
background, with its progress and each order's outcome kept to be shown."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

"""Replenishment: demand history per SKU × node × day, forecasts (numpy core; statsforecast as an
optional extra), safety stock from forecast errors, and purchase, production and transfer suggestions."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

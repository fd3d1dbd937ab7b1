"""Replenishment: demand history per SKU × node × day, forecasts (numpy core; statsforecast as an
optional extra), safety stock from forecast errors, and purchase, production and transfer suggestions."""

from flexhub.replenishment.queries import forecast_for, suggestions

__all__ = ["forecast_for", "suggestions"]

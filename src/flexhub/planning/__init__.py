"""Planning inputs: what the brand tells the hub about demand beyond its own orders. Sales history brought from
before the hub (daily units per SKU × node × channel, imported), which replenishment's forecasts read beside the
orders' own demand; and the calendar of campaigns and live-room sessions, whose uplift the forecasts expect on
their days."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

"""Cleaning: a tenant's rules (address, blacklist, duplicates, quantity, value, price floor, velocity, first order,
country) run on every incoming order before it takes stock; the holds they put on orders."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

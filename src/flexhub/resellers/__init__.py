"""Resellers (分销): commercial terms per reseller — a price list (供货价) by validity dates, 代发费 per order,
仓储费 per unit-day, a credit limit its orders are held at — and its account and monthly statement."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)

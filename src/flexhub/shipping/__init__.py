"""Shipping: carriers (quotes, waybills, labels, tracking by poll and push) behind one pure adapter protocol."""

"""Routing: which node ships each order — candidate nodes, scored plans, split only when it pays."""

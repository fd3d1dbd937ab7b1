"""Returns: RMAs from a channel refund request or by hand, receipt at a node, inspection and restock."""

"""flexhub: one pool of goods behind every channel."""

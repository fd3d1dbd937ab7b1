"""`flexhub demo`: a small brand, a flash sale on a hot SKU, and the API serving it."""


def demo() -> None:
    """Seed a small brand, run a flash sale with a progress bar, then serve the API."""
    raise SystemExit("the demo is being written")

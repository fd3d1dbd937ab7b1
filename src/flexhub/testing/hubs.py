"""A hub on a given database for one test, closed afterwards (its combiner thread and its engine)."""

from collections.abc import Iterator
from contextlib import contextmanager

from flexhub.bootstrap import Hub, bootstrap
from flexhub.settings import Settings


@contextmanager
def running_hub(database_url: str, *, combine: bool = False) -> Iterator[Hub]:
    """Per-order imports by default; `combine=True` sends them through the reservation combiner."""
    hub = bootstrap(Settings(database_url=database_url), combine=combine)
    try:
        yield hub
    finally:
        hub.close()

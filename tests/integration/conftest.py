"""Hubs on each backend: per-order imports (`hub`), combined imports (`combined_hub`), or both (`any_hub`)."""

from collections.abc import Iterator

import pytest

from flexhub.bootstrap import Hub
from flexhub.testing.clocks import MovableClock, movable_clock
from flexhub.testing.hubs import running_hub


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url, combine=False) as hub:
        yield hub


@pytest.fixture
def combined_hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url, combine=True) as hub:
        yield hub


@pytest.fixture(params=["per_order", "combined"])
def any_hub(request: pytest.FixtureRequest, database_url: str) -> Iterator[Hub]:
    """The same behaviour is owed by both import paths."""
    with running_hub(database_url, combine=request.param == "combined") as hub:
        yield hub


@pytest.fixture
def clock() -> Iterator[MovableClock]:
    with movable_clock() as moving:
        yield moving

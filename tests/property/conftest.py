"""Hubs for the stateful properties: one per test and backend; each example works in a fresh tenant."""

from collections.abc import Iterator

import pytest

from flexhub.bootstrap import Hub
from flexhub.testing.hubs import running_hub


@pytest.fixture
def hub(database_url: str) -> Iterator[Hub]:
    with running_hub(database_url, combine=False) as hub:
        yield hub


@pytest.fixture(params=["per_order", "combined"])
def any_hub(request: pytest.FixtureRequest, database_url: str) -> Iterator[Hub]:
    """Per-order imports, and imports through the reservation combiner."""
    with running_hub(database_url, combine=request.param == "combined") as hub:
        yield hub

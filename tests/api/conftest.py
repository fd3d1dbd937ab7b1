"""The HTTP API over a real hub on each backend: a tenant with a key per role, and a stocked shop."""

from collections.abc import Iterator

import pytest

from flexhub.testing.api_client import Api, api_over


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_over(database_url) as api:
        yield api


@pytest.fixture
def shop(api: Api) -> Api:
    """TEE-RED-M with 5 on hand at WH-CENTRAL, sold through channel `web`."""
    api.stock_shop(stock=5)
    return api

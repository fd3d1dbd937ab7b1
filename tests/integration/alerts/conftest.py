"""A shop with eight weeks of sales, short of both its SKUs (`selling_shop`)."""

from collections.abc import Iterator

import pytest

from flexhub.testing.api_client import Api, api_over
from flexhub.testing.clocks import MovableClock
from flexhub.testing.purchasing import selling_shop


@pytest.fixture
def selling(database_url: str, clock: MovableClock) -> Iterator[Api]:
    with api_over(database_url) as api:
        selling_shop(api, clock)
        yield api

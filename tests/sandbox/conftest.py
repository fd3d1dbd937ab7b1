"""A sandbox served on a free 127.0.0.1 port for the module, and a fresh store per test."""

import itertools
from collections.abc import Callable, Iterator

import httpx2
import pytest

from flexhub.integrations.request import ApiRequest
from flexhub.sandbox.app import create_app
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.store import Store

SKUS = ["TEE-RED-M", "TEE-RED-L", "TEE-BLUE-M"]
_codes = itertools.count(1)


@pytest.fixture(scope="module")
def market() -> Iterator[Market]:
    market = Market(hub_url="http://127.0.0.1:9")  # no hub: webhooks are built, never needed here
    with served(create_app(market)) as url:
        market.base_url = url
        yield market
    market.close()


@pytest.fixture
def open_store(market: Market) -> Callable[..., Store]:
    def open_(platform: str, quantity: int = 5) -> Store:
        return market.open_store(platform, f"{platform}-{next(_codes)}", SKUS, quantity=quantity, sells=False)

    return open_


@pytest.fixture(scope="module")
def client() -> Iterator[httpx2.Client]:
    with httpx2.Client(timeout=10) as client:
        yield client


def send(client: httpx2.Client, request: ApiRequest) -> httpx2.Response:
    return client.request(request.method, request.url, headers=request.headers, params=request.params or None,
                          json=request.json, content=request.content)

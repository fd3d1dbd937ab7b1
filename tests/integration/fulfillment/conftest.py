"""A shop whose orders route to WH-HZ, with a ZTO account, and a fake network (carrier and channel) on hub.http."""

from collections.abc import Iterator

import httpx2
import pytest

from flexhub.bootstrap import Hub
from flexhub.kernel.messages import Actor
from flexhub.testing.fulfillment import Network, shipping_shop


@pytest.fixture
def network(hub: Hub) -> Iterator[Network]:
    network = Network()
    hub.http = httpx2.Client(transport=httpx2.MockTransport(network))
    hub.notifier.http = hub.waybills.http = hub.http  # handed their client, not the hub
    yield network
    hub.http.close()


@pytest.fixture
def admin(hub: Hub, network: Network) -> Actor:
    return shipping_shop(hub)

"""Every sandbox store answers its platform's stock-read calls, as flexhub's adapter builds and reads them."""

from collections.abc import Callable

import pytest
from tests.sandbox.conftest import SKUS, send

from flexhub.channels.adapter import ListingRef
from flexhub.channels.registry import adapter_for
from flexhub.sandbox.platforms import available


@pytest.mark.parametrize("name", available())
def test_each_listing_reads_back_as_the_store_shows_it(name: str, open_store: Callable, client) -> None:
    store = open_store(name, quantity=5)
    store.listing(SKUS[1]).quantity = 2  # changed in the platform's own back office
    adapter = adapter_for(name)
    refs = [ListingRef(x.sku, x.item_id, x.location_id) for x in store.listings.values()]

    figures = {}
    for read in adapter.stock_read_requests(store.credentials, refs):
        response = send(client, read.request)
        assert response.status_code == 200, response.text
        figures.update(adapter.parse_stock(response.json(), read.listings))

    assert figures == {SKUS[0]: 5, SKUS[1]: 2, SKUS[2]: 5}
    assert store.figures == []  # reading sets nothing


@pytest.mark.parametrize("name", available())
def test_a_read_with_wrong_credentials_is_refused(name: str, open_store: Callable, client) -> None:
    store = open_store(name)
    adapter = adapter_for(name)
    wrong = {k: (v + "x" if any(word in k for word in ("token", "secret", "key", "session")) else v)
             for k, v in store.credentials.items()}
    [read, *_] = adapter.stock_read_requests(wrong, [ListingRef(x.sku, x.item_id, x.location_id)
                                                     for x in store.listings.values()])
    response = send(client, read.request)
    refused = response.status_code >= 400
    if not refused:
        with pytest.raises(ValueError):
            adapter.parse_stock(response.json(), read.listings)

"""Rules particular platforms enforce, as the sandbox stores keep them."""

from collections.abc import Callable

from tests.sandbox.conftest import send

from flexhub.channels.adapter import StockPush
from flexhub.channels.registry import adapter_for


def _push(store, quantity: int, previous: int | None, key: str) -> StockPush:  # type: ignore[no-untyped-def]
    listing = store.listing("TEE-RED-M")
    return StockPush(listing.sku, quantity, external_item_id=listing.item_id, location_id=listing.location_id,
                     previous_quantity=previous, idempotency_key=key)


def test_shopify_refuses_a_stale_compare_and_sets_nothing(open_store: Callable, client) -> None:
    store = open_store("shopify", quantity=5)
    [request] = adapter_for("shopify").stock_requests(store.credentials, [_push(store, 3, 6, "stale-1")])

    answer = send(client, request).json()

    assert answer["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == "CHANGE_FROM_QUANTITY_STALE"
    assert adapter_for("shopify").response_error(answer)
    assert store.listing("TEE-RED-M").quantity == 5 and store.figures == []


def test_shopify_makes_a_mutation_once_per_idempotency_key(open_store: Callable, client) -> None:
    store = open_store("shopify", quantity=5)
    [first] = adapter_for("shopify").stock_requests(store.credentials, [_push(store, 3, 5, "once")])
    send(client, first)
    store.listing("TEE-RED-M").quantity = 2  # the store sold since
    send(client, first)  # a retry of the very same call

    assert store.listing("TEE-RED-M").quantity == 2
    assert [f.quantity for f in store.figures] == [3]


def test_shopify_sets_without_a_compare_when_changeFromQuantity_is_null(open_store: Callable, client) -> None:
    store = open_store("shopify", quantity=5)
    [request] = adapter_for("shopify").stock_requests(store.credentials, [_push(store, 3, None, "forced")])
    assert not adapter_for("shopify").response_error(send(client, request).json())
    assert store.listing("TEE-RED-M").quantity == 3


def test_taobao_takes_each_sign_method(open_store: Callable, client) -> None:
    store = open_store("taobao")
    for n, method in enumerate(("md5", "hmac", "hmac-sha256")):
        credentials = {**store.credentials, "sign_method": method}
        [request] = adapter_for("taobao").stock_requests(credentials, [_push(store, n, None, method)])
        assert not adapter_for("taobao").response_error(send(client, request).json())
    assert [f.quantity for f in store.figures] == [0, 1, 2]


def test_kuaishou_moves_stock_by_the_difference(open_store: Callable, client) -> None:
    store = open_store("kuaishou", quantity=5)
    [request] = adapter_for("kuaishou").stock_requests(store.credentials, [_push(store, 2, 5, "down")])
    send(client, request)
    assert store.listing("TEE-RED-M").quantity == 2


def test_amazon_answers_invalid_for_a_sku_it_does_not_list(open_store: Callable, client) -> None:
    store = open_store("amazon")
    [request] = adapter_for("amazon").stock_requests(store.credentials, [StockPush("NOT-LISTED", 3)])
    answer = send(client, request)
    assert answer.status_code == 200 and answer.json()["status"] == "INVALID"
    assert adapter_for("amazon").response_error(answer.json())


def test_ebay_sets_25_skus_a_call_each_answered_on_its_own(open_store: Callable, client) -> None:
    store = open_store("ebay", quantity=5)
    pushes = [_push(store, 3, None, "a"), StockPush("NOT-LISTED", 1)]
    [request] = adapter_for("ebay").stock_requests(store.credentials, pushes)

    answer = send(client, request).json()

    assert [r["statusCode"] for r in answer["responses"]] == [200, 404]
    assert adapter_for("ebay").stock_errors(answer) == {"NOT-LISTED": ["25702: SKU not found, or "
                                                        "shipToLocationAvailability.quantity is not a whole number"]}
    assert store.listing("TEE-RED-M").quantity == 3


def test_ebay_refuses_more_than_25_and_a_wrong_token_and_sets_nothing(open_store: Callable, client) -> None:
    store = open_store("ebay", quantity=5)
    [too_many, _] = adapter_for("ebay").stock_requests(store.credentials, [_push(store, 1, None, "k")] * 26)
    crowded = too_many.json | {"requests": too_many.json["requests"] * 2}
    assert send(client, type(too_many)(too_many.method, too_many.url, too_many.headers, json=crowded)).status_code \
        == 400
    [request] = adapter_for("ebay").stock_requests({**store.credentials, "access_token": "stale"},
                                                   [_push(store, 1, None, "k")])
    assert send(client, request).status_code == 401
    assert store.listing("TEE-RED-M").quantity == 5 and store.figures == []


def test_ebay_answers_429_with_retry_after_past_its_limit(open_store: Callable, client) -> None:
    store = open_store("ebay", quantity=5)
    while store.buckets["inventory"].take(1):
        pass
    [request] = adapter_for("ebay").stock_requests(store.credentials, [_push(store, 1, None, "k")])

    response = send(client, request)

    assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
    assert response.json()["errors"][0]["errorId"] == 2001 and store.figures == []


def test_shopify_charges_a_mutation_the_same_for_250_quantities_and_says_what_is_left(market, client) -> None:
    """The cost-based bucket of the Standard plan (100 points/s, 1000 held): 250 quantities in one call cost 10
    points, as one does; the answer's extensions.cost says so and what the bucket holds; calls past the 1000 points
    held (and what refilled meanwhile) are THROTTLED."""
    skus = [f"SKU-{n:03d}" for n in range(250)]
    store = market.open_store("shopify", "shopify-batch", skus, quantity=5, sells=False)
    pushes = [StockPush(sku, 7, external_item_id=store.listing(sku).item_id, location_id=store.listing(sku).location_id,
                        previous_quantity=5, idempotency_key=f"k-{sku}") for sku in skus]
    [request] = adapter_for("shopify").stock_requests(store.credentials, pushes)

    answer = send(client, request).json()

    assert not adapter_for("shopify").response_error(answer)
    assert {store.listing(sku).quantity for sku in skus} == {7}
    cost = answer["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["actualQueryCost"]) == (10, 10)
    assert cost["throttleStatus"]["maximumAvailable"] == 1000 and cost["throttleStatus"]["restoreRate"] == 100
    assert 990 - 5 <= cost["throttleStatus"]["currentlyAvailable"] <= 990 + 5
    statuses = [send(client, request).status_code for _ in range(150)]  # repeats of one key: no change, same cost
    assert statuses.count(429) >= 1 and store.throttled == statuses.count(429)


def test_a_douyin_batch_sets_a_products_skus_together_or_none_of_them(open_store: Callable, client) -> None:
    store = open_store("douyin", quantity=5)  # the three SKUs are one product's
    adapter = adapter_for("douyin")
    pushes = [StockPush(x.sku, 9, x.item_id) for x in store.listings.values()]
    [batch] = adapter.stock_requests(store.credentials, pushes)
    assert send(client, batch).json()["code"] == 10000
    assert {x.quantity for x in store.listings.values()} == {9}

    product, _, _ = pushes[0].external_item_id.partition(":")
    wrong = [*pushes[:2], StockPush("STRANGER", 1, f"{product}:999")]
    [refused] = adapter.stock_requests(store.credentials, [StockPush(p.external_sku, 3, p.external_item_id)
                                                           for p in wrong])
    assert send(client, refused).json()["code"] == 40004  # one wrong sku_id: the whole call refused
    assert {x.quantity for x in store.listings.values()} == {9}

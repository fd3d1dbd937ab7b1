"""A saved filter applied by its id, on SQLite and PostgreSQL: GET /api/v1/orders?filter=<id> (and its export) and
GET /api/v1/inventory/stock-levels?filter=<id> (and its export) list what the list's page lists for the same filter
(one code path: filters.applied), the filters given beside it winning over its own. A filter the caller does not see
(another tenant's, another person's private one) is 404 filters.unknown_filter, one saved for another list 422
filters.another_list; nothing changes."""

import csv
import io
from typing import Any

import pytest

from flexhub.testing import builders
from flexhub.testing.api_client import Api, assert_error, create_tenant_with_keys
from flexhub.testing.snapshots import snapshot

SAVED = "/api/v1/saved-filters"


@pytest.fixture
def shop(api: Api) -> Api:
    admin = api.tenant.admin
    for sku, name in (("TEE-RED-M", "Red tee"), ("CAP-BLK", "Black cap")):
        builders.create_sku(api.hub, admin, sku, name=name)
    builders.create_location(api.hub, admin, "WH-CENTRAL")
    builders.create_location(api.hub, admin, "WH-EAST", kind="regional")
    for code in ("web", "outlet"):
        builders.create_channel(api.hub, admin, code)
    for sku in ("TEE-RED-M", "CAP-BLK"):
        builders.receive(api.hub, admin, sku, "WH-CENTRAL", 20)
        builders.receive(api.hub, admin, sku, "WH-EAST", 5)
    for number, channel, sku in (("W-1", "web", "TEE-RED-M"), ("O-1", "outlet", "TEE-RED-M"),
                                 ("O-2", "outlet", "CAP-BLK"), ("O-3", "outlet", "TEE-RED-M")):
        builders.import_order(api.hub, admin, external_id=number, channel=channel,
                              lines=[builders.line(sku, quantity=1)])
    return api


def save(api: Api, list_name: str, filters: dict[str, str], role: str = "admin", **body: Any) -> str:
    return api.post(SAVED, {"list": list_name, "name": f"{list_name} {sorted(filters.items())}", "filters": filters,
                            **body}, role)["id"]


def numbers(api: Api, role: str = "admin", **params: str) -> list[str]:
    return [o["external_id"] for o in api.get("/api/v1/orders", role, **params)["orders"]]


def levels(api: Api, role: str = "admin", **params: str) -> list[tuple[str, str]]:
    return [(lv["sku"], lv["node"]) for lv in api.get("/api/v1/inventory/stock-levels", role, **params)["levels"]]


def test_an_orders_filter_applied_by_its_id_lists_what_its_values_list(shop: Api) -> None:
    outlet_tees = save(shop, "orders", {"channel": "outlet", "q": "tee", "sort": "external_id"})

    assert numbers(shop, filter=outlet_tees) == ["O-1", "O-3"]  # its channel, words and sort
    assert numbers(shop, filter=outlet_tees) == numbers(shop, channel="outlet", q="tee", sort="external_id")
    assert numbers(shop, filter=outlet_tees, q="cap") == ["O-2"]  # a filter given beside it wins
    assert numbers(shop, filter=outlet_tees, sort="-external_id") == ["O-3", "O-1"]
    assert numbers(shop, filter=outlet_tees, channel="web") == ["W-1"]
    assert numbers(shop, filter=outlet_tees, external_id="O-3") == ["O-3"]
    exported = shop.client.get("/api/v1/orders/export", params={"filter": outlet_tees}, headers=shop.headers())
    _, *rows = list(csv.reader(io.StringIO(exported.text)))  # id, channel, number, ...
    assert exported.status_code == 200 and sorted(row[2] for row in rows) == ["O-1", "O-3"]


def test_a_stock_filter_applied_by_its_id_lists_what_its_values_list(shop: Api) -> None:
    east_tees = save(shop, "stock", {"q": "red", "node": "WH-EAST"})

    assert levels(shop, filter=east_tees) == [("TEE-RED-M", "WH-EAST")]
    assert levels(shop, filter=east_tees, node="WH-CENTRAL") == [("TEE-RED-M", "WH-CENTRAL")]
    assert levels(shop, filter=east_tees, q="cap") == [("CAP-BLK", "WH-EAST")]
    exported = shop.client.get("/api/v1/inventory/levels/export", params={"filter": east_tees},
                               headers=shop.headers())
    assert exported.status_code == 200 and len(exported.text.splitlines()) == 2 and "WH-EAST" in exported.text


def test_the_page_applies_a_filter_by_its_id_as_the_api_does(shop: Api) -> None:
    outlet_tees = save(shop, "orders", {"channel": "outlet", "q": "tee"})
    shop.client.post("/login", data={"api_key": shop.tenant.tokens["admin"]}, follow_redirects=False)

    listed = shop.client.get("/orders").text
    page = shop.client.get(f"/orders?filter={outlet_tees}").text

    assert f'href="/orders?filter={outlet_tees}"' in listed  # the bar's link applies it by its id
    assert 'class="saved-filter applied"' in page and 'data-total="2"' in page
    assert sorted(numbers(shop, filter=outlet_tees)) == ["O-1", "O-3"]
    assert 'data-total="1"' in shop.client.get(f"/orders?filter={outlet_tees}&q=cap").text  # the page's q wins
    stock = save(shop, "stock", {"q": "red", "node": "WH-EAST"})
    assert 'data-total="1"' in shop.client.get(f"/inventory?filter={stock}").text
    assert shop.client.get(f"/orders?filter={stock}").status_code == 422


def test_a_filter_the_caller_may_not_see_or_of_another_list_is_refused_and_nothing_changes(shop: Api) -> None:
    private = save(shop, "orders", {"channel": "outlet"}, role="operator")
    stock = save(shop, "stock", {"q": "tee"})
    other = create_tenant_with_keys(shop.hub, "other-brand")
    theirs = shop.client.post(SAVED, json={"list": "orders", "name": "Theirs", "filters": {"q": "tee"},
                                           "shared": True}, headers=other.headers()).json()["id"]
    before = snapshot(shop.hub), shop.get(SAVED, "operator"), shop.get(SAVED)

    for address in ("/api/v1/orders", "/api/v1/orders/export"):
        for filter_id in (private, theirs):
            assert_error(shop.client.get(address, params={"filter": filter_id}, headers=shop.headers()), 404,
                         "filters.unknown_filter")
        refused = assert_error(shop.client.get(address, params={"filter": stock}, headers=shop.headers()), 422,
                               "filters.another_list")
        assert refused["details"] == {"filter_list": "stock", "list": "orders"}
    for address in ("/api/v1/inventory/stock-levels", "/api/v1/inventory/levels/export"):
        assert_error(shop.client.get(address, params={"filter": theirs}, headers=shop.headers()), 404,
                     "filters.unknown_filter")
        assert_error(shop.client.get(address, params={"filter": private}, headers=shop.headers("operator")), 422,
                     "filters.another_list")  # the operator's own, of the orders list

    assert (snapshot(shop.hub), shop.get(SAVED, "operator"), shop.get(SAVED)) == before
    assert numbers(shop, "operator", filter=private) == numbers(shop, channel="outlet")  # its owner applies it

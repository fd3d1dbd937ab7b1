"""A reseller's stock pages name none of the brand's nodes: signed in with its key, the inventory heatmap shows its
pools' stock per SKU and pool (every node's units added up), a SKU's page its levels per pool and its ledger without
the node, and the stock exports (the page's and the API's) leave the node empty — the figures all there. The
brand's staff see the nodes on the same pages."""

import csv
import io

import pytest

from flexhub.testing.api_client import ADJUSTMENTS, CHANNELS, LOCATIONS, ORDERS, SKUS, Api
from flexhub.testing.builders import order_body

NODES = {"WH-HZ": "Acme Hangzhou DC", "WH-GZ": "Acme Guangzhou DC"}
PAGES = ("/inventory", "/inventory/TEE-RED-M", "/inventory/export.csv")
EXPORT = "/api/v1/inventory/levels/export"


@pytest.fixture
def stocked(api: Api) -> Api:
    """TEE-RED-M in the spot pool at two of the brand's nodes (5 + 4), reseller-1's store selling from it, and an
    order of the reseller's holding 2 (so its ledger has its own movement)."""
    api.post(SKUS, {"code": "TEE-RED-M", "name": "Tee, red, M"})
    for (code, name), units in zip(NODES.items(), (5, 4), strict=True):
        api.post(LOCATIONS, {"code": code, "kind": "regional", "name": name, "country": "CN", "province": "浙江省",
                             "city": "杭州市"})
        api.post(ADJUSTMENTS, {"sku": "TEE-RED-M", "location": code, "quantity_delta": units, "reason": "delivery"})
    api.post(CHANNELS, {"code": "r1-shop", "platform": "generic", "partner": "reseller-1"})
    api.post(ORDERS, order_body("LCT-0001", channel="r1-shop", lines=[
        {"sku": "TEE-RED-M", "quantity": 2, "unit_price": 12900}]), role="partner")
    return api


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]


def _named(text: str) -> list[str]:
    return [word for pair in NODES.items() for word in pair if word in text]


def test_the_resellers_stock_pages_name_no_node_of_the_brand(stocked: Api) -> None:
    stocked.client.post("/login", data={"api_key": stocked.tenant.tokens["partner"]}, follow_redirects=False)

    pages = {path: stocked.client.get(path) for path in PAGES}
    pages[EXPORT] = stocked.client.get(EXPORT, params={"format": "csv"}, headers=stocked.headers("partner"))

    assert {path: a.status_code for path, a in pages.items()} == dict.fromkeys(pages, 200)
    assert {path: _named(a.text) for path, a in pages.items()} == dict.fromkeys(pages, [])
    heat = pages["/inventory"].text
    assert '"nodes": ["spot"]' in heat and '[0, 0, 7]' in heat  # 9 on hand, 2 held: one column, the pool
    sku = pages["/inventory/TEE-RED-M"].text
    assert '<td>spot</td><td class="num">9</td><td class="num">2</td>' in sku  # both nodes added up
    rows = _rows(pages["/inventory/export.csv"].text)
    assert sorted((r[0], r[2], r[3], r[4]) for r in rows) == [("TEE-RED-M", "", "spot", "4"),
                                                              ("TEE-RED-M", "", "spot", "5")]


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_brands_staff_see_the_nodes_on_the_same_pages(stocked: Api, role: str) -> None:
    stocked.client.post("/login", data={"api_key": stocked.tenant.tokens[role]}, follow_redirects=False)

    pages = {path: stocked.client.get(path) for path in PAGES}

    assert {path: sorted(_named(a.text)) for path, a in pages.items() if path != "/inventory/export.csv"} == \
        dict.fromkeys(("/inventory", "/inventory/TEE-RED-M"), sorted(["WH-GZ", "WH-HZ"]))
    assert {r[2] for r in _rows(pages["/inventory/export.csv"].text)} == set(NODES)



def test_the_resellers_stock_answers_name_no_node_and_add_each_pool_up(stocked: Api) -> None:
    levels = stocked.levels(role="partner")
    listed = stocked.get("/api/v1/inventory/stock-levels", role="partner")["levels"]

    assert levels == [{"location": None, "pool": "spot", "on_hand": 9, "reserved": 2, "safety": 0, "in_transit": 0,
                       "available": 7}]  # both nodes added up
    assert sorted((row["node"], row["pool"], row["on_hand"]) for row in listed) == [(None, "spot", 4),
                                                                                      (None, "spot", 5)]
    assert _named(str(levels)) == _named(str(listed)) == []


def test_the_brands_staff_get_the_stock_per_node(stocked: Api) -> None:
    levels = stocked.levels(role="viewer")
    listed = stocked.get("/api/v1/inventory/stock-levels", role="viewer")["levels"]

    assert sorted((lv["location"], lv["on_hand"]) for lv in levels) == [("WH-GZ", 4), ("WH-HZ", 5)]
    assert sum(lv["reserved"] for lv in levels) == 2
    assert sorted((row["node"], row["on_hand"]) for row in listed) == [("WH-GZ", 4), ("WH-HZ", 5)]

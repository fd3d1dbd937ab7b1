"""GET /api/v1/orders pages through every order: a total on each page, a cursor to the next, any sort it offers;
the filters it always had keep working; and the same filtered list exports as CSV and as an Excel workbook."""

import csv
import io

import openpyxl
import pytest

from flexhub.testing.api_client import CHANNELS, ORDERS, Api, assert_error
from flexhub.testing.builders import order_body

COUNT = 23


@pytest.fixture
def orders(api: Api) -> Api:
    api.stock_shop(stock=500)
    api.post(CHANNELS, {"code": "tmall-flagship", "platform": "generic"})
    for n in range(COUNT):
        channel = "tmall-flagship" if n % 3 == 0 else "web"
        api.post(ORDERS, order_body(f"A-{n:03d}", channel=channel,
                                    lines=[{"sku": "TEE-RED-M", "quantity": 1 + n % 4, "unit_price": 1000 + n}],
                                    buyer={"name": f"买家{n}", "phone": f"1380000{n:04d}"}))
    return api


def every_page(api: Api, role: str = "admin", **params: str) -> list[dict]:
    pages, cursor = [], None
    while True:
        page = api.get(ORDERS, role, **params, **({"cursor": cursor} if cursor else {}))
        pages.append(page)
        if (cursor := page["next_cursor"]) is None:
            return pages


def test_pages_cover_every_order_once_with_the_total_on_each(orders: Api) -> None:
    pages = every_page(orders, limit="5")

    numbers = [o["external_id"] for page in pages for o in page["orders"]]
    assert len(pages) == 5 and [len(p["orders"]) for p in pages] == [5, 5, 5, 5, 3]
    assert {p["total"] for p in pages} == {COUNT}
    assert numbers == [f"A-{n:03d}" for n in reversed(range(COUNT))]  # newest first


def test_a_sort_by_total_pages_in_that_order_both_ways(orders: Api) -> None:
    up = [o["total"] for page in every_page(orders, limit="4", sort="total") for o in page["orders"]]
    down = [o["total"] for page in every_page(orders, limit="7", sort="-total") for o in page["orders"]]

    assert up == sorted(up) and down == sorted(up, reverse=True) and len(up) == COUNT


def test_filters_count_only_what_they_match(orders: Api) -> None:
    tmall = orders.get(ORDERS, channel="tmall-flagship", limit="100")
    both = orders.client.get(
        ORDERS, params=[("channel", "tmall-flagship"), ("channel", "web")], headers=orders.headers()).json()
    one = orders.get(ORDERS, external_id="A-007")
    piece = orders.get(ORDERS, q="a-01")
    phone = orders.get(ORDERS, phone_ending="0012")

    assert tmall["total"] == len(tmall["orders"]) == 8
    assert {o["channel"] for o in tmall["orders"]} == {"tmall-flagship"}
    assert both["total"] == COUNT
    assert [o["external_id"] for o in one["orders"]] == ["A-007"] and one["total"] == 1
    assert piece["total"] == 10 and all(o["external_id"].startswith("A-01") for o in piece["orders"])
    assert [o["external_id"] for o in phone["orders"]] == ["A-012"]


def test_each_order_lists_its_skus_and_the_node_holding_them(orders: Api) -> None:
    order = orders.get(ORDERS, external_id="A-006")["orders"][0]

    assert order["skus"] == [{"sku": "TEE-RED-M", "quantity": 3}]
    assert order["nodes"] == ["WH-CENTRAL"]


def test_a_cursor_from_another_sort_or_made_up_is_refused(orders: Api) -> None:
    cursor = orders.get(ORDERS, limit="5")["next_cursor"]

    assert_error(orders.client.get(ORDERS, params={"cursor": cursor, "sort": "total"}, headers=orders.headers()),
                 422, "lists.bad_cursor")
    assert_error(orders.client.get(ORDERS, params={"cursor": "bm90IGEgY3Vyc29y"}, headers=orders.headers()),
                 422, "lists.bad_cursor")
    assert_error(orders.client.get(ORDERS, params={"sort": "buyer"}, headers=orders.headers()),
                 422, "lists.unknown_sort")


def test_the_filtered_list_exports_as_csv_with_buyers_masked_for_a_viewer(orders: Api) -> None:
    response = orders.client.get(f"{ORDERS}/export", params={"channel": "tmall-flagship", "format": "csv"},
                                 headers=orders.headers("viewer"))

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="orders.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["order id", "channel", "order number", "status"]
    assert len(rows) == 1 + 8 and {r[1] for r in rows[1:]} == {"tmall-flagship"}
    assert all(r[5].startswith("*******") and r[4].startswith("买*") for r in rows[1:])  # phones, names masked
    assert [r[2] for r in rows[1:]] == [f"A-{n:03d}" for n in reversed(range(0, COUNT, 3))]


def test_every_order_exports_as_an_excel_workbook_that_reads_back(orders: Api) -> None:
    response = orders.client.get(f"{ORDERS}/export", params={"format": "xlsx", "sort": "external_id"},
                                 headers=orders.headers())

    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "order number" and len(rows) == 1 + COUNT
    first = rows[1]
    assert first[2] == "A-000" and first[4] == "买家0" and first[5] == "13800000000"
    assert first[6] == "TEE-RED-M x1" and first[7] == "WH-CENTRAL" and first[8] == 10.0 and first[9] == "CNY"


def test_an_unknown_export_format_is_refused(orders: Api) -> None:
    assert_error(orders.client.get(f"{ORDERS}/export", params={"format": "pdf"}, headers=orders.headers()),
                 422, "lists.unknown_format")

"""Every list exports whole, as CSV and as an Excel workbook, through the lists capability: parcels, returns, stock
levels, purchase orders and the exceptions queue, from the API (a key) and from their pages (signed in); read back,
each file holds the rows its list holds, times on the tenant's clock with the zone named; a partner's file holds only
its own; an unknown format is refused with 422 `lists.unknown_format`."""

import csv
import io

import openpyxl
import pytest
from httpx2 import Response

from flexhub.fulfillment.commands import CreateShipment
from flexhub.routing.commands import RouteOrder
from flexhub.testing.api_client import ORDERS, Api, assert_error
from flexhub.testing.builders import order_body
from flexhub.testing.purchasing import ORDERS as PURCHASE_ORDERS
from flexhub.testing.purchasing import add_supplier, set_terms
from flexhub.testing.purchasing import order_body as purchase_body

API = {"shipments": "/api/v1/shipments/export", "returns": "/api/v1/returns/export",
       "stock": "/api/v1/inventory/levels/export", "purchase-orders": "/api/v1/purchasing/orders/export",
       "exceptions": "/api/v1/exceptions/export"}
PAGES = {"shipments": "/shipments/export", "returns": "/returns/export", "stock": "/inventory/export",
         "purchase-orders": "/purchasing/export", "exceptions": "/exceptions/export"}


@pytest.fixture
def busy(api: Api) -> Api:
    api.stock_shop(stock=5)
    add_supplier(api, "mill-1")
    set_terms(api, "mill-1", "TEE-RED-M")
    api.post(PURCHASE_ORDERS, purchase_body("mill-1", {"TEE-RED-M": 12}, reference="PO-7"))
    admin = api.tenant.admin
    for n in range(3):
        created = api.post(ORDERS, order_body(f"A-{n}", lines=[{"sku": "TEE-RED-M", "quantity": 1,
                                                                 "unit_price": 1000}]))
        api.hub.handle(RouteOrder(actor=admin, order_id=created["id"]))
        api.hub.handle(CreateShipment(actor=admin, order_id=created["id"]))
    api.post("/api/v1/returns", {"order_id": created["id"], "lines": {"TEE-RED-M": 1}, "reason": "too small"})
    api.post(ORDERS, order_body("WAITS", lines=[{"sku": "TEE-RED-M", "quantity": 10_000, "unit_price": 1000}]))
    api.client.put("/api/v1/tenant/settings", json={"time_zone": "Asia/Shanghai"}, headers=api.headers())
    return api


def read_csv(answer: Response) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))


def read_xlsx(answer: Response) -> list[list[object]]:
    assert answer.status_code == 200, answer.text
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_each_list_exports_its_rows_as_csv_and_excel_alike(busy: Api) -> None:
    files = {name: read_csv(busy.client.get(path, params={"format": "csv"}, headers=busy.headers()))
             for name, path in API.items()}
    workbooks = {name: read_xlsx(busy.client.get(path, params={"format": "xlsx"}, headers=busy.headers()))
                 for name, path in API.items()}

    assert [row[1] for row in files["shipments"][1:]] == ["A-2", "A-1", "A-0"]  # newest first, as the list
    assert files["shipments"][0][-3:] == ["created (Asia/Shanghai)", "shipped (Asia/Shanghai)",
                                          "delivered (Asia/Shanghai)"]
    assert [(r[1], r[4], r[5]) for r in files["returns"][1:]] == [("A-2", "too small", "open")]
    assert [r[:3] for r in files["stock"][1:] if r[3] == "spot"] == [["TEE-RED-M", "Tee, red, M", "WH-CENTRAL"]]
    orders = files["purchase-orders"][1:]
    assert [r[1:9] for r in orders] == [["mill-1", "purchase", "WH-CENTRAL", "draft", "PO-7", r[6], "300.0", "CNY"]
                                        for r in orders]
    assert workbooks["purchase-orders"][1][7] == 300.0  # 12 × 25.00, a number Excel sums
    assert ["order", "WAITS", "awaiting_stock"] in [r[:3] for r in files["exceptions"]]
    for name in API:
        assert len(files[name]) == len(workbooks[name]) > 1, name
        assert files[name][0] == [str(c) for c in workbooks[name][0]], name


def test_the_pages_export_what_their_person_sees(busy: Api) -> None:
    busy.client.post("/login", data={"api_key": busy.tenant.tokens["admin"]}, follow_redirects=False)

    for name, path in PAGES.items():
        from_page, from_api = read_csv(busy.client.get(f"{path}.csv")), read_csv(
            busy.client.get(API[name], headers=busy.headers()))
        assert from_page == from_api, name
        assert len(read_xlsx(busy.client.get(f"{path}.xlsx"))) == len(from_page), name


def test_a_partner_exports_only_its_own(busy: Api) -> None:
    for name in ("shipments", "returns", "purchase-orders"):
        rows = read_csv(busy.client.get(API[name], headers=busy.headers("partner")))
        assert rows[1:] == [], name  # the reseller has no orders, parcels, returns or purchase orders of its own


@pytest.mark.parametrize("name", list(API))
def test_an_unknown_format_is_refused(busy: Api, name: str) -> None:
    assert_error(busy.client.get(API[name], params={"format": "pdf"}, headers=busy.headers()), 422,
                 "lists.unknown_format")

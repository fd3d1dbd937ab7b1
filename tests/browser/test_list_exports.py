"""The other lists downloaded from their pages in a real browser, in English and Chinese, on a desk (1,440 px) and a
phone (390 px): stock levels from the inventory page, the exceptions queue from its page, purchase orders from the
purchasing page, parcels and returns from the orders page — each file opened and read back, CSV and Excel alike."""

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# page, the link's data-export for CSV and for Excel, the file's name, its heading's first cell
LINKS = [("/inventory", "csv", "xlsx", "stock", "SKU"), ("/exceptions", "csv", "xlsx", "exceptions", "kind"),
         ("/purchasing", "csv", "xlsx", "purchase-orders", "purchase order id"),
         ("/orders", "shipments.csv", "shipments.xlsx", "shipments", "shipment id"),
         ("/orders", "returns.csv", "returns.xlsx", "returns", "return id")]


def downloaded(page: Page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.click(selector)
    return download.value.suggested_filename, download.value.path().read_bytes()


def read_back(page: Page, csv_link: str, xlsx_link: str) -> tuple[str, list[list[str]], list[list[Any]]]:
    name, text = downloaded(page, f"a[data-export='{csv_link}']")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    _, workbook = downloaded(page, f"a[data-export='{xlsx_link}']")
    cells = [list(row) for row in openpyxl.load_workbook(io.BytesIO(workbook), read_only=True).active
             .iter_rows(values_only=True)]
    return name, rows, cells


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_each_list_downloads_from_its_page_and_reads_back(page: Page, dashboard: Dashboard,
                                                          sign_in: Callable[..., None], locale: str,
                                                          size: str) -> None:
    sign_in()
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")
    files = {}
    for path, csv_link, xlsx_link, name, first in LINKS:
        page.goto(f"{dashboard.url}{path}")
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        filename, rows, cells = read_back(page, csv_link, xlsx_link)
        assert filename == f"{name}.csv" and rows[0][0] == cells[0][0] == first
        assert len(rows) == len(cells) and [r[0] for r in rows] == [str(c[0] or "") for c in cells]
        files[name] = rows

    stock = {(r[0], r[2]): r for r in files["stock"][1:] if r[3] == "spot"}
    assert stock[("TEE-RED-M", "WH-EAST")][4:8] == ["12", "0", "15", "0"]  # below its safety: none available
    assert stock[("MUG-WHITE", "STORE-SH")][4] == "25"
    kinds = [r[0] for r in files["exceptions"][1:]]
    assert kinds.count("channel_message") == 2 and "order" in kinds and kinds.count("stock_push") == 2
    assert ["order", "A-1009", "awaiting_stock"] in [r[:3] for r in files["exceptions"]]

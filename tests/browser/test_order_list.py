"""The orders page as an operations team uses it, in English and Chinese, on a desk (1,440 px) and a phone (390 px):
every order reachable page by page with the total shown, buyer, SKU and node columns, a channel chosen from a list,
the filters kept when the language changes, and the filtered list downloaded as CSV and Excel and read back."""

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from flexhub.testing import builders

pytestmark = pytest.mark.browser

Dashboard = Any
EXTRA = 57  # beyond the shop's own orders: more than one page of 50
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
HEADINGS = {"en": "Orders", "zh_Hans": "订单"}


@pytest.fixture(scope="module", autouse=True)
def busy_outlet(dashboard: Dashboard) -> None:
    """Many orders of the outlet store (its cap is out of stock: each waits for stock)."""
    admin = dashboard.shop.tenant.admin
    for n in range(EXTRA):
        builders.import_order(dashboard.hub, admin, channel="outlet", external_id=f"OUT-{n:03d}",
                              lines=[builders.line("CAP-BLACK", 1, 5900)],
                              buyer={"name": f"顾客{n}", "phone": f"1371111{n:04d}"})


def in_language(page: Page, dashboard: Dashboard, locale: str, size: str) -> None:
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", HEADINGS)
def test_every_order_is_a_page_away_with_the_total(page: Page, dashboard: Dashboard, sign_in: Callable[..., None],
                                                    visit: Callable[[str, str], Page], screenshot: Callable[[str], Any],
                                                    locale: str, size: str) -> None:
    sign_in()
    in_language(page, dashboard, locale, size)
    visit("/orders?channel=outlet", f"orders-{locale}-{size}")
    expect(page.locator("h1")).to_have_text(HEADINGS[locale])
    expect(page.locator("[data-total]")).to_have_attribute("data-total", str(EXTRA))
    rows = page.locator("table[data-table=orders] tbody tr")
    expect(rows).to_have_count(50)
    newest = rows.first
    expect(newest).to_contain_text(f"OUT-{EXTRA - 1:03d}")
    expect(newest).to_contain_text("CAP-BLACK ×1")  # the SKU column
    # The buyer column masks nobody for an admin; the node column is empty while the order waits for stock.
    expect(newest).to_contain_text(f"顾客{EXTRA - 1}")
    page.click("a[data-page=next]")
    expect(rows).to_have_count(EXTRA - 50)
    expect(rows.last).to_contain_text("OUT-000")
    expect(page.locator("a[data-page=next]")).to_have_count(0)
    expect(page.locator("a[data-page=first]")).to_have_count(1)
    screenshot(f"orders-page2-{locale}-{size}")


def test_the_node_column_names_where_the_stock_is_held(page: Page, sign_in: Callable[..., None],
                                                       visit: Callable[[str, str], Page]) -> None:
    sign_in()
    visit("/orders?q=A-1001", "orders-search-number")
    row = page.locator("table[data-table=orders] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("WH-CENTRAL")
    expect(row).to_contain_text("TEE-RED-M ×2")


@pytest.mark.parametrize("size", SIZES)
def test_switching_language_keeps_the_filters_and_the_page(page: Page, dashboard: Dashboard,
                                                            sign_in: Callable[..., None], size: str) -> None:
    sign_in()
    in_language(page, dashboard, "en", size)
    page.goto(f"{dashboard.url}/orders")
    page.select_option("select[name=channel]", "outlet")
    page.select_option("select[name=status]", "awaiting_stock")
    page.fill("input[name=q]", "OUT-01")
    page.click("form[data-form=order-search] button")
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "10")
    page.click("a[data-lang=zh_Hans]")
    expect(page.locator("h1")).to_have_text("订单")
    expect(page).to_have_url(re.compile(r"/orders\?.*channel=outlet"))
    expect(page.locator("select[name=channel]")).to_have_value("outlet")
    expect(page.locator("select[name=status]")).to_have_value("awaiting_stock")
    expect(page.locator("input[name=q]")).to_have_value("OUT-01")
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "10")
    expect(page.locator("[data-total]")).to_contain_text("共 10 个订单")
    page.click("a[data-lang=en]")
    expect(page.locator("select[name=channel]")).to_have_value("outlet")


@pytest.mark.parametrize("locale", HEADINGS)
def test_the_filtered_list_downloads_as_csv_and_excel(page: Page, dashboard: Dashboard,
                                                       sign_in: Callable[..., None], locale: str) -> None:
    sign_in()
    in_language(page, dashboard, locale, "desk")
    page.goto(f"{dashboard.url}/orders?channel=outlet&sort=external_id")
    with page.expect_download() as csv_download:
        page.click("a[data-export=csv]")
    rows = list(csv.reader(io.StringIO(open(csv_download.value.path(), encoding="utf-8-sig").read())))
    with page.expect_download() as xlsx_download:
        page.click("a[data-export=xlsx]")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True).active
    cells = list(sheet.iter_rows(values_only=True))

    assert csv_download.value.suggested_filename == "orders.csv"
    assert xlsx_download.value.suggested_filename == "orders.xlsx"
    assert len(rows) == len(cells) == 1 + EXTRA  # every page of the list, not the one shown
    assert [r[2] for r in rows[1:]] == [c[2] for c in cells[1:]] == [f"OUT-{n:03d}" for n in range(EXTRA)]
    assert rows[1][4] == cells[1][4] == "顾客0" and cells[1][8] == 59.0 and rows[1][6] == "CAP-BLACK x1"


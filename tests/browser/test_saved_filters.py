"""Search and saved filters on the list pages, in English and Chinese, on a desk (1,440 px) and a phone (390 px):
the orders found by a product's name and by the end of the buyer's phone, the stock levels by a product's name;
the filters saved under a name, applied from the bar on a fresh page, then deleted; a viewer finds no order by a
phone. Nothing is wider than the screen on the way."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from flexhub.testing import builders

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = ("en", "zh_Hans")
WIDEST = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
PHONE_ORDERS = {"PH-0001": "13612349876", "PH-0002": "13798761111"}  # one phone ends 9876; the other holds it


@pytest.fixture(scope="module", autouse=True)
def phone_orders(dashboard: Dashboard) -> None:
    for number, phone in PHONE_ORDERS.items():
        builders.import_order(dashboard.hub, dashboard.shop.tenant.admin, external_id=number,
                              lines=[builders.line("CAP-BLACK", 1, 5900)], buyer={"name": "顾客", "phone": phone})


def in_language(page: Page, dashboard: Dashboard, locale: str, size: str) -> None:
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")


def fits(page: Page) -> None:
    scroll_width, client_width = page.evaluate(WIDEST)
    assert scroll_width <= client_width, f"{page.url} is {scroll_width} px wide on a {client_width} px screen"


def numbers(page: Page) -> list[str]:
    return page.locator("table[data-table=orders] tbody tr td:nth-child(3) a").all_inner_texts()


def search_orders(page: Page, text: str) -> None:
    page.fill("form[data-form=order-search] input[name=q]", text)
    page.click("form[data-form=order-search] button")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", LOCALES)
def test_orders_found_by_product_and_phone_saved_applied_and_deleted(
        page: Page, dashboard: Dashboard, sign_in: Callable[..., None], screenshot: Callable[[str], Any],
        locale: str, size: str) -> None:
    sign_in()
    in_language(page, dashboard, locale, size)
    page.goto(f"{dashboard.url}/orders")
    search_orders(page, "white MUG")  # the product's name, "Mug, white", its words the other way round
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "2")
    assert sorted(numbers(page)) == ["A-1003", "A-1006"]
    fits(page)

    search_orders(page, "9876")  # the end of a buyer's phone, not a piece inside another
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "1")
    assert numbers(page) == ["PH-0001"]
    name = f"Phone 9876 {locale} {size}"
    page.fill("form[data-form=save-filter] input[name=name]", name)
    page.click("form[data-form=save-filter] button")
    chip = page.locator(f"[data-saved-filter='{name}']")
    expect(chip).to_have_class("saved-filter applied")  # saved, and the page shows it applied
    fits(page)
    screenshot(f"saved-filters-orders-{locale}-{size}")

    page.goto(f"{dashboard.url}/orders")  # a fresh page: every order, the saved filter one click away
    expect(page.locator("[data-total]")).not_to_have_attribute("data-total", "1")
    chip.locator("a[data-apply]").click()
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "1")
    expect(page.locator("form[data-form=order-search] input[name=q]")).to_have_value("9876")
    assert numbers(page) == ["PH-0001"]

    chip.locator("button[data-delete]").click()
    expect(page.locator(f"[data-saved-filter='{name}']")).to_have_count(0)
    fits(page)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", LOCALES)
def test_stock_levels_found_by_product_name_and_the_filter_saved(
        page: Page, dashboard: Dashboard, sign_in: Callable[..., None], screenshot: Callable[[str], Any],
        locale: str, size: str) -> None:
    sign_in()
    in_language(page, dashboard, locale, size)
    page.goto(f"{dashboard.url}/inventory")
    page.fill("form[data-form=stock-search] input[name=q]", "tee blue")  # "Tee, blue, M"
    page.click("form[data-form=stock-search] button")
    rows = page.locator("table[data-table=stock] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TEE-BLUE-M")
    expect(rows.first).to_contain_text("WH-CENTRAL")
    name = f"Blue tees {locale} {size}"
    page.fill("form[data-form=save-filter] input[name=name]", name)
    page.click("form[data-form=save-filter] button")
    expect(page.locator(f"[data-saved-filter='{name}']")).to_have_class("saved-filter applied")
    fits(page)
    screenshot(f"saved-filters-stock-{locale}-{size}")

    page.goto(f"{dashboard.url}/inventory")
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "4")  # every stock level of the shop
    page.locator(f"[data-saved-filter='{name}'] a[data-apply]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TEE-BLUE-M")
    page.locator(f"[data-saved-filter='{name}'] button[data-delete]").click()
    expect(page.locator(f"[data-saved-filter='{name}']")).to_have_count(0)


def test_a_saved_name_taken_twice_says_so_in_chinese(page: Page, dashboard: Dashboard,
                                                      sign_in: Callable[..., None]) -> None:
    sign_in()
    in_language(page, dashboard, "zh_Hans", "desk")
    for _ in range(2):
        page.goto(f"{dashboard.url}/orders?channel=outlet")
        page.fill("form[data-form=save-filter] input[name=name]", "奥莱")
        page.click("form[data-form=save-filter] button")
    expect(page.locator("[data-error='409']")).to_contain_text("您已有同名的已存筛选")
    page.goto(f"{dashboard.url}/orders")
    expect(page.locator("[data-saved-filter='奥莱']")).to_have_count(1)
    page.locator("[data-saved-filter='奥莱'] button[data-delete]").click()
    expect(page.locator("[data-saved-filter='奥莱']")).to_have_count(0)


def test_a_viewer_finds_no_order_by_a_phone(page: Page, dashboard: Dashboard,
                                            sign_in: Callable[..., None]) -> None:
    sign_in("viewer")
    in_language(page, dashboard, "en", "desk")
    page.goto(f"{dashboard.url}/orders")
    expect(page.locator("input[name=phone]")).to_have_count(0)
    search_orders(page, "9876")
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "0")
    search_orders(page, "cap black")  # the rest of the search is the viewer's too
    expect(page.locator("[data-total]")).not_to_have_attribute("data-total", "0")
    page.goto(f"{dashboard.url}/orders?phone=9876")
    expect(page.locator("p.error[role=alert]")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_attribute("data-total", "0")
    assert "PH-0001" not in page.content()

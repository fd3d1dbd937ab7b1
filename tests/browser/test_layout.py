"""Nothing on any page is wider than the screen, on a phone (390 px) and a desk (1,440 px), in English and Chinese:
the document's scrollWidth is measured on every page the menu leads to, and on a SKU's, an order's and the
account's page. Wide tables scroll inside their own box instead."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Dashboard = Any
WIDTHS = (390, 1440)
WIDEST = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def pages_to_measure(page: Page, dashboard: Dashboard) -> list[str]:
    page.goto(f"{dashboard.url}/")
    menu = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    return [*dict.fromkeys(menu), "/inventory/TEE-RED-M", f"/orders/{dashboard.shop.order_id}", "/account"]


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_no_page_is_wider_than_the_screen(page: Page, dashboard: Dashboard, sign_in: Callable[..., None],
                                          screenshot: Callable[[str], Any], locale: str) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")
    paths = pages_to_measure(page, dashboard)
    too_wide = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(f"{dashboard.url}{path}")
            page.wait_for_load_state("load")
            scroll_width, client_width = page.evaluate(WIDEST)
            if scroll_width > client_width:
                too_wide[f"{path} @ {width}"] = scroll_width
                screenshot(f"too-wide-{locale}-{width}-{path.strip('/').replace('/', '-') or 'overview'}")
            if width == 390:
                menu_height = page.evaluate("() => document.querySelector('header nav')?.offsetHeight || 0")
                assert menu_height < 60, f"{path}: the menu wraps into {menu_height} px"

    assert len(paths) >= 10
    assert too_wide == {}


def test_the_sign_in_page_fits_a_phone(page: Page, dashboard: Dashboard) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{dashboard.url}/login")
    scroll_width, client_width = page.evaluate(WIDEST)
    assert scroll_width <= client_width

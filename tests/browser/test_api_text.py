"""What the API says reads in the page's language, in a real browser, on a desk (1,440 px) and a phone (390 px):
"why this node" (the decision's reason and each node not considered), an order's status reason and an error a
form meets are Chinese on a Chinese page and the API's own English on an English one."""

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from flexhub.ordering.errors import InvalidTransition
from flexhub.routing.commands import RouteOrder
from flexhub.web.api_text import PATTERNS

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SAID = {  # locale: (the awaiting order's reason, the routed order's reason, the bad day's error)
    "en": ("not enough stock when imported", "the best single node (WH-CENTRAL)",
           "'2026-13-40' is not a day (YYYY-MM-DD)"),
    "zh_Hans": ("导入时库存不足", "最佳的单一节点（WH-CENTRAL）", "2026-13-40 不是日期（YYYY-MM-DD）"),
}
NOT_CONSIDERED = {"en": "WH-EAST: no stock of this order's SKUs", "zh_Hans": "WH-EAST: 没有此订单 SKU 的库存"}


@pytest.fixture(scope="module", autouse=True)
def routed(dashboard: Dashboard) -> Iterator[None]:
    """A-1001 routed (the hub's workers may have routed it already)."""
    admin = dashboard.shop.tenant.admin
    with contextlib.suppress(InvalidTransition):
        dashboard.hub.handle(RouteOrder(actor=admin, order_id=dashboard.shop.order_id))
    yield


def english_sentences(page: Page) -> list[str]:
    text = page.locator("main").inner_text()
    return [pattern.pattern for pattern, _ in PATTERNS if pattern.search(text)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", SAID)
def test_reasons_and_errors_read_in_the_pages_language(page: Page, dashboard: Dashboard,
                                                       sign_in: Callable[..., None],
                                                       screenshot: Callable[[str], Any], locale: str,
                                                       size: str) -> None:
    sign_in()
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")
    waiting, routed_reason, bad_day = SAID[locale]

    page.goto(f"{dashboard.url}/orders/{dashboard.shop.awaiting_id}")
    expect(page.locator("[data-status-reason]")).to_have_text(waiting)
    page.goto(f"{dashboard.url}/orders/{dashboard.shop.order_id}")
    expect(page.locator("[data-decision-reason]")).to_contain_text(routed_reason)
    page.click("details summary")
    expect(page.locator("details li[data-node=WH-EAST]")).to_have_text(NOT_CONSIDERED[locale])  # below its safety
    screenshot(f"api-text-order-{locale}-{size}")
    if locale == "zh_Hans":
        assert english_sentences(page) == []
    page.goto(f"{dashboard.url}/orders?since=2026-13-40")
    expect(page.locator("[role=alert]")).to_have_text(bad_day)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

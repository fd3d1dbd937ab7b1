"""/docs and /redoc draw the API reference from the copies the set-up installed from the npm registry: with
every address but the hub's own blocked, both pages still show the operations, and none asked for anything else."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

Dashboard = Any


@pytest.fixture
def offline(page: Page, dashboard: Dashboard) -> list[str]:
    """Every request off the hub's own address is refused, and listed."""
    own, elsewhere = urlsplit(dashboard.url).netloc, []

    def only_the_hub(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own or route.request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_hub)
    return elsewhere


@pytest.mark.parametrize("width", [1440, 390])
def test_swagger_ui_and_redoc_work_offline(page: Page, dashboard: Dashboard, offline: list[str],
                                           screenshot: Callable[[str], Any], width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{dashboard.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert page.locator(".opblock").count() > 5  # drawn as the page scrolls: the first tags are enough
    screenshot(f"api-docs-swagger-{width}")
    page.goto(f"{dashboard.url}/redoc")
    expect(page.get_by_text("/api/v1/orders").first).to_be_attached(timeout=30_000)
    screenshot(f"api-docs-redoc-{width}", full_page=False)

    assert offline == []

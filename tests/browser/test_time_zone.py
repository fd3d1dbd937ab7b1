"""The brand's time zone in a real browser, in English and Chinese, on a desk (1,440 px) and a phone (390 px): an
admin sets it on the account page (an unknown name is shown back and nothing changes), then the orders page shows
every time on that zone's clock and its day filter reads days there, and its CSV export names the zone."""

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import update

from flexhub.identity.queries import tenant_time_zone
from flexhub.ordering.model import Order

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SAVED = {"en": "Time zone saved.", "zh_Hans": "时区已保存。"}
# A-1002 was received at 2026-12-05 01:30 on a Shanghai clock: still 2026-12-04 in UTC.
RECEIVED = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
WIDEST = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture(autouse=True)
def received_early(dashboard: Dashboard) -> Iterator[None]:
    with dashboard.hub.uow() as uow:
        uow.connection.execute(update(Order).where(Order.external_id == "A-1002").values(created_at=RECEIVED))
        uow.commit()
    yield


def zone_now(dashboard: Dashboard) -> str | None:
    with dashboard.hub.uow(write=False) as uow:
        return tenant_time_zone(uow.connection, dashboard.shop.tenant.admin.tenant_id)


def set_zone(page: Page, name: str) -> None:
    page.fill("input[name=time_zone]", name)
    page.click("form[data-form=time-zone] button")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_the_brands_zone_is_set_once_and_every_time_follows_it(
        page: Page, dashboard: Dashboard, sign_in: Callable[..., None], screenshot: Callable[[str], Any],
        locale: str, size: str) -> None:
    sign_in()
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/account")
    set_zone(page, "")  # back to the language's own zone
    before = zone_now(dashboard)

    set_zone(page, "Asia/Shangai")
    expect(page.locator("[data-code='identity.unknown_time_zone']")).to_be_visible()
    assert zone_now(dashboard) == before is None

    set_zone(page, "America/New_York")
    expect(page.locator("[data-zone-set]")).to_have_text(SAVED[locale])
    expect(page.locator("[data-zone]")).to_have_attribute("data-zone", "America/New_York")
    assert page.evaluate(WIDEST)
    screenshot(f"time-zone-account-{locale}-{size}")

    page.goto(f"{dashboard.url}/orders?q=A-1002")
    row = page.locator("table[data-table=orders] tbody tr")
    expect(row).to_contain_text("2026-12-04 12:30:00 -05:00")
    page.goto(f"{dashboard.url}/account")
    set_zone(page, "Asia/Shanghai")
    page.goto(f"{dashboard.url}/orders")
    page.fill("input[name=since]", "2026-12-05")
    page.fill("input[name=until]", "2026-12-05")
    page.click("form[data-form=order-search] button")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("A-1002")
    expect(row).to_contain_text("2026-12-05 01:30:00 +08:00")
    assert page.evaluate(WIDEST)
    screenshot(f"time-zone-orders-{locale}-{size}")
    with page.expect_download() as download:
        page.click("a[data-export=csv]")
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][-1] == "received (Asia/Shanghai)" and [(r[2], r[-1]) for r in rows[1:]] == [
        ("A-1002", "2026-12-05 01:30:00")]

"""The dashboard as a person uses it: sign in, each page, the actions, the language, charts, live figures, roles."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import structlog
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from tests.browser.conftest import every_request_answered

from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel, ChannelException, StockPush
from flexhub.channels.queries import open_exceptions
from flexhub.identity.model import AuditEntry
from flexhub.ordering.model import Order
from flexhub.testing import builders, snapshots

pytestmark = pytest.mark.browser

Dashboard = Any  # the `dashboard` fixture: url, hub, shop, key(role) (tests/browser/conftest.py)
Visit = Callable[[str, str], Page]
SignIn = Callable[..., None]
SOON_MS = 10_000
HOLDING_STOCK = re.compile(r"^(reserved|routed)$")  # routing may already have chosen its node
KEY_SUBMIT = "form[data-form=key] button[type=submit]"  # the sign-in page's second form: with an API key


def test_a_wrong_key_is_refused_and_the_right_one_signs_in(page: Page, dashboard: Dashboard, visit: Visit) -> None:
    visit("/login", "login")
    page.fill("input[name=api_key]", "fhk_nope_wrong")
    page.click(KEY_SUBMIT)
    expect(page.get_by_role("alert")).to_have_text("That key is not valid.")
    page.fill("input[name=api_key]", dashboard.key("admin"))
    page.click(KEY_SUBMIT)
    expect(page).to_have_url(f"{dashboard.url}/")
    expect(page.locator("header .who")).to_have_text("admin")


def test_a_page_asks_for_a_key_first_and_comes_back_after(page: Page, dashboard: Dashboard) -> None:
    page.goto(f"{dashboard.url}/orders?status=awaiting_stock")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Forders%3Fstatus%3Dawaiting_stock$"))
    page.fill("input[name=api_key]", dashboard.key("operator"))
    page.click(KEY_SUBMIT)
    expect(page).to_have_url(f"{dashboard.url}/orders?status=awaiting_stock")


def test_sign_in_and_language_links_never_send_the_browser_off_the_site(page: Page, dashboard: Dashboard) -> None:
    for elsewhere in ["//example.com/", "/\\example.com/", "https://example.com/"]:
        signed_in = page.request.post(f"{dashboard.url}/login", max_redirects=0,
                                      form={"api_key": dashboard.key(), "next": elsewhere})
        switched = page.request.get(f"{dashboard.url}/lang/en", params={"back": elsewhere}, max_redirects=0)
        assert [signed_in.headers["location"], switched.headers["location"]] == ["/", "/"], elsewhere


def test_overview_shows_the_figures(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/", "overview")
    expect(page.locator("h1")).to_have_text("Overview")
    assert int(page.locator("[data-figure=orders]").inner_text()) >= 7
    expect(page.locator("[data-figure=out_of_stock]")).to_have_text("1")  # CAP-BLACK
    expect(page.locator("[data-figure=below_safety]")).to_have_text("1")  # TEE-RED-M at WH-EAST
    assert int(page.locator("[data-figure=exceptions]").inner_text()) >= 1


def test_inventory_maps_every_sku_at_every_node(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/inventory", "inventory")
    header = page.locator("table[data-table=heat] thead th")
    expect(header).to_have_text(["SKU", "STORE-SH", "WH-CENTRAL", "WH-EAST"])
    row = page.locator("table[data-table=heat] tbody tr", has=page.get_by_role("link", name="MUG-WHITE", exact=True))
    expect(row.locator("td")).to_have_text(["MUG-WHITE", re.compile(r"^2[0-9]$"), "0", "0"])


def test_a_sku_page_shows_its_levels_and_ledger(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/inventory/TEE-RED-M", "sku")
    expect(page.locator("h1")).to_have_text("TEE-RED-M")
    levels = page.locator("table[data-table=levels] tbody tr")
    expect(levels).to_have_count(2)
    expect(levels.first.locator("td").nth(0)).to_have_text("WH-CENTRAL")
    movements = page.locator("table[data-table=ledger] tbody td:nth-child(4)").all_inner_texts()
    assert movements.count("receive") == 2 and "reserve" in movements, movements


def test_orders_are_listed_and_filtered(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/orders", "orders")
    expect(page.get_by_role("link", name="A-1001", exact=True)).to_be_visible()
    page.select_option("select[name=status]", "awaiting_stock")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"status=awaiting_stock"))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("A-1009")


def test_an_order_page_shows_lines_and_reservations(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                                   visit: Visit) -> None:
    sign_in()
    visit(f"/orders/{dashboard.shop.order_id}", "order")
    expect(page.locator("h1")).to_contain_text("web · A-1001")
    expect(page.locator("h1 .status")).to_have_text(HOLDING_STOCK)
    lines, reservations = page.locator("table").nth(0), page.locator("table").nth(1)
    expect(lines.locator("tbody td").nth(1)).to_have_text("TEE-RED-M")
    expect(reservations.locator("tbody tr").first.locator("td").nth(1)).to_have_text("WH-CENTRAL")
    expect(page.get_by_role("button", name="Cancel order")).to_be_visible()


def test_channels_show_each_store(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/channels", "channels")
    expect(page.locator("tbody tr")).to_have_count(3)
    web = page.locator("tbody tr", has_text="Brand site")
    expect(web.locator("td").nth(2)).to_have_text("spot")
    expect(page.locator("tbody tr", has_text="Wholesale").locator("td").nth(5)).to_have_text("1")  # dead letters


def test_exceptions_list_channel_messages_and_orders(page: Page, sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/exceptions", "exceptions")
    messages, orders = page.locator("table").nth(0), page.locator("table").nth(1)
    kept = messages.locator("tr", has_text="W-2002")
    expect(kept).to_contain_text("channels.unmapped_sku")
    expect(kept).to_contain_text("WEB-HAT")
    expect(kept.get_by_role("button", name="Import again")).to_be_visible()
    expect(orders.locator("tr", has_text="A-1009")).to_contain_text("awaiting_stock")


def test_an_exception_is_resolved_by_mapping_the_sku_and_importing_again(page: Page, dashboard: Dashboard,
                                                                         sign_in: SignIn) -> None:
    dashboard.hub.handle(CreateListing(actor=dashboard.shop.tenant.admin, channel="web",
                                       external_sku="WEB-TEE-BLUE", sku="TEE-BLUE-M"))
    sign_in()
    page.goto(f"{dashboard.url}/exceptions")
    row = page.locator("table").first.locator("tr", has_text="W-2001")
    row.get_by_role("button", name="Import again").click()
    expect(page).to_have_url(f"{dashboard.url}/exceptions")
    expect(page.locator("table").first.locator("tr", has_text="W-2001")).to_have_count(0)
    found = page.locator("tbody tr", has=page.get_by_role("link", name="W-2001"))
    for _ in range(40):  # the importer runs as soon as it is woken; the page is plain HTML, so look again
        page.goto(f"{dashboard.url}/orders?external_id=W-2001")
        if found.count():
            break
        page.wait_for_timeout(250)
    expect(found.locator(".status")).to_have_text(HOLDING_STOCK)


def test_dead_letters_are_retried_from_the_channels_page(page: Page, dashboard: Dashboard, sign_in: SignIn) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/channels")
    outlet = page.locator("tbody tr", has_text="Outlet store")
    expect(outlet.locator("td").nth(5)).to_have_text("1")
    outlet.get_by_role("button", name="Retry dead letters").click()
    expect(page).to_have_url(f"{dashboard.url}/channels")
    expect(outlet.locator("td").nth(5)).to_have_text("0")
    expect(outlet.get_by_role("button", name="Retry dead letters")).to_have_count(0)
    for _ in range(40):  # the pusher sends it to the (accepting) platform
        if push_state(dashboard, "outlet") == "synced":
            break
        page.wait_for_timeout(250)
    assert push_state(dashboard, "outlet") == "synced"


def test_the_language_switches_to_chinese_and_back(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                                   screenshot: Callable[[str], None]) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/inventory")
    page.click("a[data-lang=zh_Hans]")
    expect(page).to_have_url(f"{dashboard.url}/inventory")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("库存")
    expect(page.locator("nav a").first).to_have_text("总览")
    # the pages of this suite first, then the purchasing ones
    assert page.locator("nav a").all_inner_texts()[:6] == ["总览", "库存", "订单", "渠道", "异常", "调拨"]
    page.goto(f"{dashboard.url}/")  # the choice stays for the session
    expect(page.locator("h1")).to_have_text("总览")
    page.wait_for_function("() => document.querySelectorAll('#flow-chart canvas').length > 0")
    screenshot("overview-zh")
    page.click("a[data-lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Overview")


@pytest.mark.parametrize(("path", "charts"), [("/", ["flow-chart", "funnel-chart"]), ("/inventory", ["heat-chart"])])
def test_charts_are_drawn(page: Page, dashboard: Dashboard, sign_in: SignIn, path: str, charts: list[str]) -> None:
    sign_in()
    page.goto(f"{dashboard.url}{path}")
    for chart in charts:
        expect(page.locator(f"#{chart} canvas").first).to_be_visible()
        page.wait_for_function(f"() => ({PAINTED_PIXELS})(document.querySelectorAll('#{chart} canvas')) > 2000")
        assert page.evaluate(f"() => document.querySelector('#{chart} canvas').toDataURL().length") > 5000


def test_a_reseller_sees_its_own_figures_and_the_curve_all_sellers_share(page: Page, dashboard: Dashboard,
                                                                          sign_in: SignIn) -> None:
    sign_in("partner")  # reseller-1, which sells through no channel of this shop yet
    page.goto(f"{dashboard.url}/")

    expect(page.locator("[data-figure=orders]")).to_have_text("0")  # not the brand's orders
    expect(page.locator("#flow-chart canvas").first).to_be_visible()
    names = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('flow-chart'))"
                          ".getOption().series.map((s) => s.name)")
    assert names == ["All sellers"]  # no channel of the brand's, no other seller's


# Pixels with any colour at all, over the chart's canvases (ECharts may add layers): a blank chart has none.
PAINTED_PIXELS = """(canvases) => {
  let painted = 0;
  for (const canvas of canvases) {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  }
  return painted;
}"""


def test_live_figures_arrive_without_reloading(page: Page, dashboard: Dashboard, sign_in: SignIn) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/")
    expect(page.locator("#live-state")).to_have_attribute("data-live", "on", timeout=SOON_MS)
    tile = page.locator("[data-figure=orders]")
    before = int(tile.inner_text())
    builders.import_order(dashboard.hub, dashboard.shop.tenant.admin, external_id="LIVE-1",
                          lines=[builders.line("MUG-WHITE", 1)])
    expect(tile).to_have_text(str(before + 1), timeout=SOON_MS)


def test_the_live_stream_ends_with_its_line_once_its_page_closes(page: Page, dashboard: Dashboard,
                                                                sign_in: SignIn) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/")
    expect(page.locator("#live-state")).to_have_attribute("data-live", "on", timeout=SOON_MS)

    with structlog.testing.capture_logs() as logged:
        page.close()
        every_request_answered()

    assert [(line["path"], line["status"]) for line in logged if line["event"] == "request"] == [("/live", 200)]


def test_a_viewer_sees_no_actions_and_its_posts_are_refused(page: Page, dashboard: Dashboard, sign_in: SignIn) -> None:
    sign_in("viewer")
    for path in ["/channels", "/exceptions", f"/orders/{dashboard.shop.awaiting_id}"]:
        page.goto(f"{dashboard.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main button")).to_have_count(0)
    exception_id = open_exception_id(dashboard)
    before = what_the_actions_touch(dashboard, exception_id)
    for action in ["/channels/b2b/dead-letters/retry", f"/exceptions/{exception_id}/retry",
                   f"/orders/{dashboard.shop.awaiting_id}/cancel"]:
        answer = page.request.post(f"{dashboard.url}{action}", max_redirects=0)
        assert answer.status == 403, action
        assert answer.json()["error"]["code"] == "auth.forbidden"
    assert what_the_actions_touch(dashboard, exception_id) == before
    assert before[:3] == ("dead", "open", "awaiting_stock")


def what_the_actions_touch(dashboard: Dashboard, exception_id: str) -> tuple:
    """The b2b dead letter, the exception, the awaiting order (and its stock), and what the viewer wrote.

    Not the whole database: the server's own jobs (routing, relay) may still be at work on other orders."""
    tenant = dashboard.shop.tenant
    with dashboard.hub.uow(write=False) as uow:
        c = uow.connection
        push = c.execute(select(StockPush.state, StockPush.attempts).join(Channel, Channel.id == StockPush.channel_id)
                         .where(Channel.code == "b2b")).one()
        exception = c.execute(select(ChannelException.state).where(ChannelException.id == uuid.UUID(exception_id)))
        order = c.execute(select(Order.status, Order.version).where(Order.id == uuid.UUID(dashboard.shop.awaiting_id)))
        written = c.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.actor == tenant.actor_name("viewer"))).scalar_one()
        return (push.state, exception.scalar_one(), *order.one(), push.attempts, written,
                snapshots.level(dashboard.hub, tenant.admin, "CAP-BLACK"))


def push_state(dashboard: Dashboard, channel: str) -> str:
    with dashboard.hub.uow(write=False) as uow:
        return uow.connection.execute(select(StockPush.state).join(Channel, Channel.id == StockPush.channel_id)
                                      .where(Channel.code == channel)).scalar_one()


def open_exception_id(dashboard: Dashboard) -> str:
    with dashboard.hub.uow(write=False) as uow:
        return open_exceptions(uow.connection, dashboard.shop.tenant.admin.tenant_id)[0]["id"]


def test_a_store_is_reconciled_from_the_channels_page(page: Page, dashboard: Dashboard, sign_in: SignIn) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/channels")
    outlet = page.locator("tbody tr", has_text="Outlet store")
    outlet.get_by_role("button", name="Reconcile now").click()
    expect(page).to_have_url(f"{dashboard.url}/channels")
    # The stub platform takes stock pushes but serves no stock reads: the run is shown with why it read nothing.
    found = outlet.locator("[data-field=reconciliation]")
    expect(found).to_contain_text("drifted 0 (0 units)")
    expect(found).to_contain_text("HTTP 501")
    expect(page.get_by_text("No drift found")).to_be_visible()
    expect(outlet.locator("[data-field=rate-limit]")).to_have_text(re.compile(r"^(\d+ %|–)$"))

"""Issue 18's purchasing and supplier pages in Chromium, in English and Chinese, on a desk (1,440 px) and a phone
(390 px): a purchase order made by its form (a refusal pointing at its field first), draft orders from
replenishment's suggestions, Close and Cancel asked again before they are taken, a supplier signing in onto its own
portal (a forecast made from the sales history, not 0 for a SKU that sold out; stock per node as a table), the
announce form gone once everything is announced, and a reseller signing in onto its own overview. Each page is
photographed under test-artifacts/screenshots/ and none is wider than the screen."""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.kernel import clock
from flexhub.planning import ImportSalesHistory, SalesDay
from flexhub.purchasing.commands import ActOnOrder, CreatePurchaseOrder, OrderLineSpec, SetSupplierSku
from flexhub.purchasing.model import PurchaseOrder

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
SUPPLIED = ("TEE-RED-M", "TEE-BLUE-M", "MUG-WHITE")
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"


@dataclass
class Buying:
    supplier_key: str  # mill-1's


@pytest.fixture(scope="module")
def buying(dashboard: Dashboard) -> Iterator[Buying]:
    """mill-1 supplies three of the shop's SKUs; four weeks of tees sold at WH-CENTRAL (three a day), and mugs at
    STORE-SH that sold out on the two days they sold and were out between, from the brand's previous system."""
    hub, admin = dashboard.hub, dashboard.shop.tenant.admin
    hub.handle(CreatePartner(actor=admin, code="mill-1", kind="supplier", name="Shaoxing Mill"))
    key = hub.handle(CreateApiKey(actor=admin, role="partner", name="mill-1-key", partner="mill-1")).token
    for sku in SUPPLIED:
        hub.handle(SetSupplierSku(actor=admin, supplier="mill-1", sku=sku, lead_time_days=10, currency="CNY",
                                  unit_cost=2500))
    today = clock.now().date()
    days = [SalesDay(sku="TEE-RED-M", location="WH-CENTRAL", day=today - timedelta(days=d), units=3)
            for d in range(1, 29)]
    days += [SalesDay(sku="MUG-WHITE", location="STORE-SH", day=today - timedelta(days=d),
                      units=4 if d in (2, 5) else 0, stocked_out=True)
             for d in range(1, 6)]  # sold out the days it sold, none to sell in between
    hub.handle(ImportSalesHistory(actor=admin, days=days))
    yield Buying(key)


def in_language(page: Page, dashboard: Dashboard, locale: str, size: str, path: str) -> None:
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back={path}")


def fits(page: Page) -> None:
    assert not page.evaluate(WIDER_THAN_THE_SCREEN), f"{page.url} is wider than the screen"


def draft(dashboard: Dashboard, lines: dict[str, int], **fields: Any) -> str:
    placed = dashboard.hub.handle(CreatePurchaseOrder(
        actor=dashboard.shop.tenant.admin, supplier="mill-1", location="WH-CENTRAL",
        lines=[OrderLineSpec(sku=sku, quantity=q) for sku, q in lines.items()], **fields))
    return str(placed.id)


def state_of(dashboard: Dashboard, order_id: str) -> str:
    with dashboard.hub.uow(write=False) as uow:
        return uow.connection.scalar(select(PurchaseOrder.state).where(PurchaseOrder.id == uuid.UUID(order_id)))


WORDS = {"en": {"line": "Line 1 · Quantity", "draft": "draft", "cancelled": "cancelled", "total": "CN¥636.00",
                "announced": "Everything ordered is announced", "cancel_page": "Cancel the order?",
                "nothing": "Nothing to order", "balance": "Balance"},
         "zh_Hans": {"line": "第 1 行 · 数量", "draft": "草稿", "cancelled": "已取消", "total": "¥636.00",
                     "announced": "所订货物均已发出发货通知", "cancel_page": "取消这张采购单？",
                     "nothing": "无需下单", "balance": "余额"}}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_a_buyer_makes_a_purchase_order_by_its_form(page: Page, dashboard: Dashboard, buying: Buying,
                                                    sign_in: Callable[..., None], screenshot: Callable[[str], Any],
                                                    locale: str, size: str) -> None:
    sign_in("operator")
    in_language(page, dashboard, locale, size, "/purchasing")
    page.click("a[data-action=new-order]")
    form = page.locator("form[data-form=purchase-order]")
    form.locator("select[name=supplier]").select_option("mill-1")
    form.locator("select[name=location]").select_option("WH-CENTRAL")
    form.locator("tr[data-line='1'] input[name=sku]").fill("TEE-RED-M")
    form.locator("tr[data-line='1'] input[name=quantity]").fill("0")
    form.locator("tr[data-line='1'] input[name=unit_cost]").fill("26.50")
    form.locator("button[data-action=create-order]").click()

    alert = page.locator("[role=alert]")
    expect(alert).to_have_attribute("data-field", "quantity-1")
    expect(alert).to_contain_text(WORDS[locale]["line"])
    expect(page.locator("tr[data-line='1'] input[name=quantity]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("tr[data-line='1'] input[name=unit_cost]")).to_have_value("26.50")  # kept as typed
    fits(page)
    screenshot(f"purchasing-form-refused-{locale}-{size}")

    page.locator("tr[data-line='1'] input[name=quantity]").fill("24")
    page.locator("button[data-action=create-order]").click()

    expect(page).to_have_url(re.compile(r"/purchasing/[0-9a-f-]{36}$"))
    expect(page.locator("h1 [data-state]")).to_have_text(WORDS[locale]["draft"])
    expect(page.locator("main > p").first).to_contain_text(WORDS[locale]["total"])  # 24 × 26.50, its money
    fits(page)
    screenshot(f"purchasing-order-made-{locale}-{size}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_drafts_are_made_from_the_suggestions_once(page: Page, dashboard: Dashboard, buying: Buying,
                                                   sign_in: Callable[..., None], screenshot: Callable[[str], Any],
                                                   locale: str, size: str) -> None:
    with dashboard.hub.uow(write=False) as uow:  # earlier runs' drafts: cancelled, so this run drafts afresh
        drafts = uow.connection.scalars(select(PurchaseOrder.id).where(PurchaseOrder.state == "draft")).all()
    for order_id in drafts:
        dashboard.hub.handle(ActOnOrder(actor=dashboard.shop.tenant.admin, order_id=str(order_id), action="cancel"))
    sign_in("operator")
    in_language(page, dashboard, locale, size, "/purchasing")

    page.click("button[data-action=from-suggestions]")

    made = page.locator("[data-result=from-suggestions] a[data-drafted]")
    expect(made.first).to_be_visible()
    assert "mill-1 → WH-CENTRAL" in made.all_inner_texts()  # three tees a day: WH-CENTRAL runs short
    fits(page)
    screenshot(f"purchasing-from-suggestions-{locale}-{size}")
    page.click("button[data-action=from-suggestions]")
    expect(page.locator("[data-drafted-none]")).to_contain_text(WORDS[locale]["nothing"])
    expect(page.locator("[data-result=from-suggestions] a[data-drafted]")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_close_and_cancel_are_asked_again_first(page: Page, dashboard: Dashboard, buying: Buying,
                                                sign_in: Callable[..., None], screenshot: Callable[[str], Any],
                                                locale: str, size: str) -> None:
    order_id = draft(dashboard, {"TEE-BLUE-M": 7}, reference=f"ASK-{locale}-{size}")
    sign_in("operator")
    in_language(page, dashboard, locale, size, f"/purchasing/{order_id}")

    page.click("button[data-action=cancel]")
    expect(page.locator("h1")).to_have_text(WORDS[locale]["cancel_page"])
    expect(page.locator("[data-confirm=cancel]")).to_contain_text("7")
    fits(page)
    screenshot(f"purchasing-cancel-asked-{locale}-{size}")
    page.click("a[data-action=keep]")
    assert state_of(dashboard, order_id) == "draft"  # asking wrote nothing

    page.click("button[data-action=cancel]")
    page.click("button[data-action=confirm-cancel]")

    expect(page.locator("h1 [data-state]")).to_have_text(WORDS[locale]["cancelled"])
    assert state_of(dashboard, order_id) == "cancelled"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_a_supplier_lands_on_its_portal_and_announces_everything(page: Page, dashboard: Dashboard, buying: Buying,
                                                                 screenshot: Callable[[str], Any], locale: str,
                                                                 size: str) -> None:
    order_id = draft(dashboard, {"TEE-RED-M": 5}, reference=f"SHIP-{locale}-{size}")
    dashboard.hub.handle(ActOnOrder(actor=dashboard.shop.tenant.admin, order_id=order_id, action="send"))
    in_language(page, dashboard, locale, size, "/login")
    page.locator('form[data-form="key"] input[name="api_key"]').fill(buying.supplier_key)
    page.locator('form[data-form="key"] button').click()

    expect(page).to_have_url(f"{dashboard.url}/supplier")  # its own portal, not the brand's overview
    tees = page.locator("table[data-table=supplier-skus] tr[data-sku='TEE-RED-M'] [data-figure=forecast]")
    assert 60 <= float(tees.inner_text()) <= 110  # three a day for four weeks: about 84 in the next 28 days
    mugs = page.locator("table[data-table=supplier-skus] tr[data-sku='MUG-WHITE'] [data-figure=forecast]")
    assert float(mugs.inner_text()) > 0  # it sold out each day it sold: at least that, not nothing
    stock = page.locator("table[data-table=supplier-stock]")
    expect(stock.locator("tr[data-sku='TEE-RED-M'][data-node='WH-EAST'] [data-figure=on_hand]")).to_have_text("12")
    expect(stock.locator("tr[data-sku='MUG-WHITE'][data-node='STORE-SH'] [data-figure=on_hand]")).to_have_text("25")
    fits(page)
    screenshot(f"supplier-portal-{locale}-{size}")

    page.goto(f"{dashboard.url}/purchasing/{order_id}")
    page.click("button[data-action=confirm]")
    page.locator("form[data-form=asn] input[name='qty:TEE-RED-M']").fill("5")
    page.click("button[data-action=announce]")

    expect(page.locator("[data-announced=all]")).to_contain_text(WORDS[locale]["announced"])
    expect(page.locator("form[data-form=asn]")).to_have_count(0)
    fits(page)
    screenshot(f"supplier-all-announced-{locale}-{size}")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_a_reseller_lands_on_its_own_overview(page: Page, dashboard: Dashboard, screenshot: Callable[[str], Any],
                                              locale: str, size: str) -> None:
    in_language(page, dashboard, locale, size, "/login")
    page.locator('form[data-form="key"] input[name="api_key"]').fill(dashboard.key("partner"))
    page.locator('form[data-form="key"] button').click()

    expect(page).to_have_url(f"{dashboard.url}/")
    expect(page.locator("h1 [data-figure=partner]")).to_have_text("reseller-1")
    expect(page.locator("#account-tiles")).to_contain_text(WORDS[locale]["balance"])
    expect(page.locator("[data-figure=orders]")).to_have_text("0")  # its own orders: none, not the brand's
    expect(page.locator("header nav a[data-menu=statement]")).to_have_attribute("href", "/resellers/reseller-1")
    fits(page)
    screenshot(f"reseller-overview-{locale}-{size}")

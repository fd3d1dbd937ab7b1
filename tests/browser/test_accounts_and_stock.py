"""Users, transfers, a SKU's page and an order's raw payload, as a person uses them in Chromium: signing in with
an account, sending and receiving stock, what a viewer is shown and refused, and the pages in Chinese."""

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from flexhub.identity.model import AuditEntry, User
from flexhub.inventory.model import Transfer
from flexhub.testing import builders, snapshots

pytestmark = pytest.mark.browser

Dashboard = Any  # the `dashboard` fixture (tests/browser/conftest.py)
Visit = Callable[[str, str], Page]
SignIn = Callable[..., None]


def sign_in_as_user(page: Page, dashboard: Dashboard, role: str, password: str = builders.PASSWORD) -> None:
    page.fill("input[name=login]", dashboard.user(role))
    page.fill("input[name=password]", password)
    page.click("form[data-form=user] button[type=submit]")


def test_a_user_signs_in_with_a_password_and_out_again(page: Page, dashboard: Dashboard, visit: Visit) -> None:
    visit("/login", "login-forms")
    sign_in_as_user(page, dashboard, "operator", password="not the password")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.locator("input[name=login]")).to_have_value(dashboard.user("operator"))
    expect(page.locator("input[name=password]")).to_have_value("")  # a password is never sent back
    sign_in_as_user(page, dashboard, "operator")
    expect(page).to_have_url(f"{dashboard.url}/")
    expect(page.locator("header .who")).to_have_text("operator")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{dashboard.url}/login")
    page.goto(f"{dashboard.url}/orders")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Forders$"))


def test_a_user_and_a_key_of_the_same_role_see_the_same_actions(page: Page, dashboard: Dashboard,
                                                                sign_in: SignIn) -> None:
    shown = {}
    for how in ("user", "key"):
        page.context.clear_cookies()
        if how == "user":
            page.goto(f"{dashboard.url}/login")
            sign_in_as_user(page, dashboard, "viewer")
        else:
            sign_in("viewer")
        page.goto(f"{dashboard.url}/transfers")
        shown[how] = page.locator("main [data-action], main form[method=post]").count()
    assert shown == {"user": 0, "key": 0}


def test_an_operator_sends_stock_to_a_store_and_receives_it(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                                            visit: Visit, screenshot: Callable[[str], Any]) -> None:
    sign_in("operator")
    visit("/transfers", "transfers")
    before = snapshots.level(dashboard.hub, dashboard.shop.tenant.admin, "TEE-RED-M", "STORE-SH")["on_hand"]
    form = page.locator("form[data-form=transfer]")
    form.locator("select[name=from_location]").select_option("WH-CENTRAL")
    form.locator("select[name=to_location]").select_option("STORE-SH")
    form.locator("input[name=sku]").first.fill("TEE-RED-M")
    form.locator("input[name=quantity]").first.fill("3")
    form.locator("input[name=reference]").fill("browser-restock")
    form.get_by_role("button", name="Send").click()
    expect(page).to_have_url(f"{dashboard.url}/transfers")
    row = page.locator("tbody tr", has_text="browser-restock")
    expect(row.locator("td").nth(4)).to_have_text("3")
    expect(row.locator(".status")).to_have_text("in_transit")
    screenshot("transfers-in-transit")
    row.get_by_role("button", name="Receive").click()
    expect(row.locator(".status")).to_have_text("received")
    expect(row.locator("td").nth(4)).to_have_text("0")
    expect(row.get_by_role("button", name="Receive")).to_have_count(0)
    after = snapshots.level(dashboard.hub, dashboard.shop.tenant.admin, "TEE-RED-M", "STORE-SH")["on_hand"]
    assert after == before + 3


def test_a_transfer_the_stock_cannot_cover_is_refused_on_the_form(page: Page, dashboard: Dashboard,
                                                                  sign_in: SignIn) -> None:
    sign_in("operator")
    page.goto(f"{dashboard.url}/transfers")
    before = transfers(dashboard)
    form = page.locator("form[data-form=transfer]")
    form.locator("select[name=from_location]").select_option("WH-EAST")
    form.locator("select[name=to_location]").select_option("STORE-SH")
    form.locator("input[name=sku]").first.fill("TEE-RED-M")
    form.locator("input[name=quantity]").first.fill("500")
    form.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_have_attribute("data-code", "inventory.negative_stock")
    assert transfers(dashboard) == before


def test_a_viewer_sees_no_transfer_actions_and_a_forged_post_is_refused(page: Page, dashboard: Dashboard,
                                                                        sign_in: SignIn) -> None:
    admin = dashboard.shop.tenant.admin
    waiting = builders.transfer(dashboard.hub, admin, "WH-CENTRAL", "WH-EAST", {"TEE-BLUE-M": 1})
    sign_in("viewer")
    page.goto(f"{dashboard.url}/transfers")
    expect(page.locator(f"tr[data-transfer='{waiting}'] .status")).to_have_text("in_transit")
    expect(page.locator("form[data-form=transfer]")).to_have_count(0)
    expect(page.locator("[data-action=receive-transfer]")).to_have_count(0)
    before = (transfers(dashboard), snapshots.level(dashboard.hub, admin, "TEE-BLUE-M", "WH-EAST"),
              written_by(dashboard, "viewer"))
    for action, form in [("/transfers", {"from_location": "WH-CENTRAL", "to_location": "STORE-SH",
                                          "sku": "TEE-RED-M", "quantity": "1"}),
                         (f"/transfers/{waiting}/receive", {})]:
        answer = page.request.post(f"{dashboard.url}{action}", form=form, max_redirects=0)
        assert answer.status == 403, action
        assert answer.json()["error"]["code"] == "auth.forbidden"
    assert (transfers(dashboard), snapshots.level(dashboard.hub, admin, "TEE-BLUE-M", "WH-EAST"),
            written_by(dashboard, "viewer")) == before
    assert transfer_state(dashboard, waiting) == "in_transit"


def test_a_sku_page_shows_pools_reservations_and_what_each_listing_sells(page: Page, dashboard: Dashboard,
                                                                         sign_in: SignIn, visit: Visit) -> None:
    sign_in()
    visit("/inventory/TEE-RED-M", "sku-pools")
    pools = page.locator("table[data-table=pools]")
    expect(pools.locator("thead th")).to_have_text(["Node", "spot"])
    expect(pools.locator("tbody tr", has_text="WH-CENTRAL").locator("td").nth(1)).to_have_text(re.compile(r"^\d+$"))
    held = page.locator("table[data-table=reservations] tbody tr")
    expect(held.first.locator("a")).to_have_attribute("href", re.compile(r"^/orders/[0-9a-f-]{36}$"))
    listing = page.locator("table[data-table=listings] tbody tr", has_text="WEB-TEE-RED")
    expect(listing.locator("td").nth(0)).to_have_text("web")
    expect(listing.locator("td").nth(2)).to_have_text(re.compile(r"^\d+$"))


def test_an_order_page_shows_the_raw_webhook_body_to_an_operator(page: Page, dashboard: Dashboard,
                                                                  sign_in: SignIn, visit: Visit) -> None:
    sign_in("operator")
    visit(f"/orders/{dashboard.shop.webhook_order_id}", "order-payload")
    payload = page.locator("details.payload pre.payload")
    expect(payload).to_contain_text('"external_id": "W-3001"')
    expect(payload).to_contain_text("13912345678")
    expect(page.locator("[data-masked]")).to_have_count(0)


def test_a_viewer_sees_the_raw_body_with_the_buyer_masked(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                                          screenshot: Callable[[str], Any]) -> None:
    sign_in("viewer")
    page.goto(f"{dashboard.url}/orders/{dashboard.shop.webhook_order_id}")
    payload = page.locator("details.payload pre.payload")
    expect(payload).to_contain_text("*******5678")
    expect(payload).to_contain_text('"sku": "WEB-TEE-RED"')
    assert "13912345678" not in page.content() and "王小明" not in page.content()
    expect(page.locator("[data-masked=true]")).to_be_visible()
    screenshot("order-payload-masked")


def test_orders_are_found_by_the_buyers_phone_ending(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                                     visit: Visit) -> None:
    sign_in("operator")  # a role that sees phones: a viewer may not search by one (test_saved_filters.py)
    visit("/orders?phone=5678", "orders-by-phone")
    expect(page.locator("table[data-table=orders] tbody tr")).to_have_count(1)
    expect(page.locator("table[data-table=orders] tbody tr").first).to_contain_text("W-3001")
    page.fill("input[name=phone]", "12")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_contain_text("last 3 to 11 digits")


def test_the_new_pages_switch_to_chinese(page: Page, dashboard: Dashboard, sign_in: SignIn,
                                         screenshot: Callable[[str], Any]) -> None:
    sign_in()
    page.goto(f"{dashboard.url}/transfers")
    page.click("a[data-lang=zh_Hans]")
    expect(page.locator("h1")).to_have_text("调拨")
    expect(page.locator("form[data-form=transfer] button")).to_have_text("发出")
    screenshot("transfers-zh")
    page.goto(f"{dashboard.url}/inventory/TEE-RED-M")
    expect(page.locator("main h2").nth(0)).to_have_text("按节点和库存池的可用量")
    page.goto(f"{dashboard.url}/orders/{dashboard.shop.webhook_order_id}")
    expect(page.locator("main h2", has_text="渠道原始报文")).to_be_visible()
    screenshot("order-zh")
    page.locator("header form button").click()  # signed out; the language stays with the browser's session
    expect(page).to_have_url(f"{dashboard.url}/login")
    expect(page.locator("label[for=login]")).to_have_text("用户名或邮箱")
    page.click("a[data-lang=en]")
    expect(page.locator("label[for=login]")).to_have_text("User name or e-mail")


def test_five_wrong_passwords_lock_the_account_for_a_while(page: Page, dashboard: Dashboard) -> None:
    login = "locked@brand.example"
    builders.create_user(dashboard.hub, dashboard.shop.tenant.admin, login=login, role="viewer")
    for _ in range(5):
        answer = page.request.post(f"{dashboard.url}/login", form={"login": login, "password": "guess guess"},
                                   max_redirects=0)
        assert answer.status == 401
    right = page.request.post(f"{dashboard.url}/login", form={"login": login, "password": builders.PASSWORD},
                              max_redirects=0)
    assert right.status == 401 and "do not match" in right.text()
    with dashboard.hub.uow(write=False) as uow:
        assert uow.connection.execute(select(User.locked_until).where(User.login == login)).scalar() is not None


def transfers(dashboard: Dashboard) -> int:
    with dashboard.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(Transfer)).scalar_one()


def transfer_state(dashboard: Dashboard, transfer_id: str) -> str:
    with dashboard.hub.uow(write=False) as uow:
        return uow.connection.execute(select(Transfer.state).where(Transfer.id == uuid.UUID(transfer_id))).scalar()


def written_by(dashboard: Dashboard, role: str) -> int:
    with dashboard.hub.uow(write=False) as uow:
        return uow.connection.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.actor == dashboard.shop.tenant.actor_name(role))).scalar_one()

"""The store at a phone's size in Chromium: a shopper scans a shelf code (opens its URL) and sees the store's and the
network's stock; puts it in the cart for pick-up on that page, checks out and pays through the sandbox WeChat Pay;
a spoiled notification is refused with nothing written; the receipt shows the pick-up code; the staff page hands
the order over by that code; the stock and the member's points are right. A SKU the store lacks is ordered from the
same page to be shipped, routed to the central warehouse and paid through the sandbox's notification. A member
shown their card by the staff spends points and a coupon at checkout."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import ROOT, SCREENSHOTS, serving

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap
from flexhub.catalog.commands import CreateSku
from flexhub.inventory.commands import AdjustStock, CreateLocation
from flexhub.members.commands import AdjustPoints, CreateCoupon, IssueCoupon, RegisterMember
from flexhub.sandbox.wechatpay import SandboxWechatPay
from flexhub.settings import Settings
from flexhub.stores.commands import SetShelfPrice, SetWechatPay
from flexhub.testing import database
from flexhub.testing.api_client import create_tenant_with_keys

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
STORE = "STORE-SH"


@pytest.fixture(scope="module")
def shop(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("store-phone")
    settings = Settings(database_url=database.copy_sqlite(sqlite_template, folder / "flexhub.db"),
                        assets_dir=str(ROOT / "node_modules"), secret_key_file=str(folder / "secret.key"))
    hub = bootstrap(settings)
    sandbox = SandboxWechatPay()
    hub.http = httpx2.Client(transport=httpx2.MockTransport(sandbox.handle))
    try:
        tenant = create_tenant_with_keys(hub)
        admin = tenant.admin
        for code, name in (("TEE-RED-M", "Tee, red, M"), ("CAP-BLK", "Cap, black")):
            hub.handle(CreateSku(actor=admin, code=code, name=name))
        hub.handle(CreateLocation(actor=admin, code="WH-CENTRAL", kind="central", country="CN", province="浙江省",
                                  city="杭州市"))
        hub.handle(CreateLocation(actor=admin, code=STORE, kind="store", name="Shanghai Jing'an", country="CN",
                                  province="上海市", city="上海市", can_pickup=True, priority=30))
        for sku, node, units in (("TEE-RED-M", "WH-CENTRAL", 5), ("TEE-RED-M", STORE, 2), ("CAP-BLK", "WH-CENTRAL", 3)):
            hub.handle(AdjustStock(actor=admin, sku=sku, location=node, quantity_delta=units, reason="delivery"))
        hub.handle(SetShelfPrice(actor=admin, sku="TEE-RED-M", amount=9900, currency="CNY"))
        hub.handle(SetShelfPrice(actor=admin, sku="CAP-BLK", amount=4900, currency="CNY"))
        hub.handle(SetWechatPay(actor=admin, allow_private=True, **sandbox.credentials()))
        member = hub.handle(RegisterMember(actor=admin, phone="13800138000", name="王小明"))
        hub.workers.start()
        with serving(create_app(hub)) as url:
            yield {"url": url, "hub": hub, "tenant": tenant, "sandbox": sandbox, "member": member.id}
    finally:
        hub.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE, locale="en-US")
    yield context.new_page()
    context.close()


def api(page: Page, shop: dict[str, Any], method: str, path: str, body: Any = None, status: int = 200) -> Any:
    headers = {"Authorization": f"Bearer {shop['tenant'].tokens['operator']}"}
    answer = page.request.fetch(f"{shop['url']}{path}", method=method, headers=headers, data=body)
    assert answer.status == status, answer.text()
    return answer.json()


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def pay(page: Page, shop: dict[str, Any], *, spoil: bool = False) -> Any:
    """WeChat Pay tells the hub the sale on the receipt page is paid (spoiled: one character of it changed)."""
    sale_id = page.locator("[data-sale]").get_attribute("data-sale")
    assert sale_id
    notify_url, headers, body = shop["sandbox"].pay(sale_id.replace("-", ""))
    if spoil:
        body = body.replace("支付成功", "支付失败")
    return page.request.post(f"{shop['url']}{urlsplit(notify_url).path}", headers=headers, data=body)


def add_and_check_out(page: Page, mode: str, **address: str) -> None:
    page.locator(f"[data-action=add][data-mode={mode}]").click()
    expect(page.locator(f"[data-line][data-mode={mode}]")).to_be_visible()
    page.fill("input[name=name]", "王小明")
    page.fill("input[name=phone]", "13800138000")
    for field, value in address.items():
        page.fill(f"input[name={field}]", value)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[data-action=checkout]").click()
    expect(page.locator("[data-sale]")).to_have_attribute("data-state", "pending")


def test_scan_buy_for_pick_up_pay_and_collect(phone: Page, shop: dict[str, Any]) -> None:
    shelf = api(phone, shop, "GET", f"/api/v1/stores/{STORE}/skus/TEE-RED-M")
    phone.goto(shelf["url"])  # what the shelf's QR code holds
    expect(phone.locator("[data-figure=store]")).to_have_text("2")
    expect(phone.locator("[data-figure=network]")).to_have_text("7")
    expect(phone.locator("[data-promise=take_now]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone: no sideways scroll
    snap(phone, "store-shelf-phone")

    add_and_check_out(phone, "pickup")
    snap(phone, "store-receipt-pending-phone")
    sales = f"/api/v1/stores/{STORE}/sales"
    before = api(phone, shop, "GET", sales)
    spoiled = pay(phone, shop, spoil=True)
    assert spoiled.status == 401 and spoiled.json()["error"]["code"] == "payments.bad_signature"
    assert api(phone, shop, "GET", sales) == before  # still pending, nothing handed over or paid
    assert pay(phone, shop).status == 204
    phone.reload()
    expect(phone.locator("[data-sale]")).to_have_attribute("data-state", "paid")
    code = phone.locator("[data-pickup-code]").get_attribute("data-pickup-code")
    assert code and len(code) == 6
    snap(phone, "store-receipt-paid-phone")

    sign_in = phone.request.post(f"{shop['url']}/login", form={"api_key": shop["tenant"].tokens["operator"]},
                                 max_redirects=0)
    assert sign_in.status == 303
    phone.goto(f"{shop['url']}/store/{STORE}")
    expect(phone.locator("[data-figure=pickups]")).to_have_text("1")
    phone.fill("input[name=code]", code)
    phone.locator("[data-action=verify]").click()
    expect(phone.locator("[data-collected]")).to_be_visible()
    expect(phone.locator("[data-figure=pickups]")).to_have_text("0")
    snap(phone, "store-staff-phone")

    phone.goto(shelf["url"])
    expect(phone.locator("[data-figure=store]")).to_have_text("1")
    expect(phone.locator("[data-figure=network]")).to_have_text("6")
    shop["hub"].relay.run_once()
    assert api(phone, shop, "GET", f"/api/v1/members/{shop['member']}")["points"] == 99


def test_a_sku_the_store_lacks_is_ordered_from_the_central_warehouse(phone: Page, shop: dict[str, Any]) -> None:
    shelf = api(phone, shop, "GET", f"/api/v1/stores/{STORE}/skus/CAP-BLK")
    phone.goto(shelf["url"])
    expect(phone.locator("[data-figure=store]")).to_have_text("0")
    expect(phone.locator("[data-figure=network]")).to_have_text("3")
    expect(phone.locator("[data-promise=store_out]")).to_be_visible()
    expect(phone.locator("[data-promise=ship]")).to_have_attribute("data-nodes", "WH-CENTRAL")
    expect(phone.locator("[data-action=add][data-mode=take]")).to_have_count(0)  # nothing here to take

    add_and_check_out(phone, "ship", province="上海市", city="上海市", district="静安区", line1="南京西路 1 号")
    waiting = phone.locator("[data-sale]").get_attribute("data-sale")
    (unpaid,) = [s for s in api(phone, shop, "GET", f"/api/v1/stores/{STORE}/sales") if s["id"] == waiting]
    spoiled = pay(phone, shop, spoil=True)
    assert spoiled.status == 401 and spoiled.json()["error"]["code"] == "payments.bad_signature"
    (still,) = [s for s in api(phone, shop, "GET", f"/api/v1/stores/{STORE}/sales") if s["id"] == waiting]
    order_id = unpaid["orders"][0]["order_id"]
    assert still == unpaid and api(phone, shop, "GET", f"/api/v1/orders/{order_id}")["status"] == "reserved"
    assert pay(phone, shop).status == 204
    phone.reload()
    expect(phone.locator("[data-sale]")).to_have_attribute("data-state", "paid")
    expect(phone.locator("[data-ship-from]")).to_have_attribute("data-ship-from", "WH-CENTRAL")
    sale_id = phone.locator("[data-sale]").get_attribute("data-sale")
    (sale,) = [s for s in api(phone, shop, "GET", f"/api/v1/stores/{STORE}/sales") if s["id"] == sale_id]
    (shipped,) = sale["orders"]
    assert api(phone, shop, "GET", f"/api/v1/orders/{shipped['order_id']}/routing")["nodes"] == ["WH-CENTRAL"]
    held = api(phone, shop, "GET", "/api/v1/inventory/levels?sku=CAP-BLK")["levels"]
    assert [(lv["location"], lv["reserved"]) for lv in held if lv["pool"] == "spot"] == [("WH-CENTRAL", 1)]

    phone.goto(shelf["url"])
    phone.locator("[data-lang=zh_Hans]").click()
    expect(phone.locator("[data-promise=store_out]")).to_contain_text("本店暂时缺货")
    expect(phone.locator("[data-figure=network]")).to_have_text("2")
    expect(phone.locator("[data-action=add][data-mode=ship]")).to_contain_text("寄送到家")


def test_a_member_spends_points_and_a_coupon_on_the_phone(phone: Page, shop: dict[str, Any]) -> None:
    """The staff show a member's card by their phone number; the member scans it, buys with a coupon and 300 of
    their 500 points off, pays; the points and the coupon are right, and a refund gives them back exactly."""
    hub, admin = shop["hub"], shop["tenant"].admin
    member = hub.handle(RegisterMember(actor=admin, phone="13800138009", name="李娜"))
    hub.handle(AdjustPoints(actor=admin, member_id=str(member.id), delta=500, reason="welcome"))
    now = datetime.now(UTC)
    hub.handle(CreateCoupon(actor=admin, code="WELCOME20", kind="amount", value=2000, currency="CNY",
                            threshold=9900, valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=30)))
    hub.handle(IssueCoupon(actor=admin, member_id=member.id, coupon="WELCOME20"))
    sign_in = phone.request.post(f"{shop['url']}/login", form={"api_key": shop["tenant"].tokens["operator"]},
                                 max_redirects=0)
    assert sign_in.status == 303
    phone.goto(f"{shop['url']}/store/{STORE}")
    phone.fill("input[name=member]", "13800138009")
    phone.locator("[data-action=member-card]").click()
    expect(phone.locator("[data-figure=member-points]")).to_have_text("500")
    card = phone.locator("[data-card-url]").get_attribute("data-card-url")
    assert card and card.startswith(shop["url"])
    snap(phone, "store-member-card-staff-phone")

    phone.goto(card)  # the member scans the card on the staff's phone
    expect(phone.locator("[data-figure=points]")).to_have_text("500")
    expect(phone.locator("[data-coupon=WELCOME20]")).to_be_visible()
    shelf = api(phone, shop, "GET", f"/api/v1/stores/{STORE}/skus/TEE-RED-M")
    phone.goto(shelf["url"])
    phone.locator("[data-action=add][data-mode=take]").click()
    expect(phone.locator(f"[data-member='{member.id}']")).to_be_visible()
    phone.select_option("select[name=coupon]", "WELCOME20")
    phone.fill("input[name=points]", "300")
    phone.fill("input[name=name]", "李娜")
    phone.fill("input[name=phone]", "13800138009")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone, "store-cart-member-phone")
    phone.locator("[data-action=checkout]").click()
    expect(phone.locator("[data-figure=total]")).to_have_attribute("data-amount", "7600")  # 99.00 − 20.00 − 3.00
    assert pay(phone, shop).status == 204
    phone.reload()
    expect(phone.locator("[data-sale]")).to_have_attribute("data-state", "paid")
    shop["hub"].relay.run_once()
    seen = api(phone, shop, "GET", f"/api/v1/members/{member.id}")
    assert seen["points"] == 500 - 300 + 76 and [c["state"] for c in seen["coupons"]] == ["used"]

    sale_id = phone.locator("[data-sale]").get_attribute("data-sale")
    refund = api(phone, shop, "POST", f"/api/v1/stores/{STORE}/sales/{sale_id}/refunds", {"reason": "too small"},
                 status=201)
    assert (refund["amount"], refund["points"], refund["coupon"]) == (7600, 300, "WELCOME20")
    back = api(phone, shop, "GET", f"/api/v1/members/{member.id}")
    assert back["points"] == 500 and [c["state"] for c in back["coupons"]] == ["issued"]

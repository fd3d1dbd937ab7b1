"""Issue 15's end to end in Chromium: a reseller signs in with its key and connects its sandbox store by the
dashboard's forms (its listing mapped to the brand's SKU), sees its allotment pushed to the store, sells, sees the
order and its parcel (shipped blind by the brand with an SF waybill, tracked to delivered, its packing slip naming
the reseller), opens a return by form; the brand, signed in beside it, sees the order, the credit hold of a second
order on the exceptions page, and the reseller's statement with its goods, 代发费 and the return credited."""

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser.conftest import ROOT, SCREENSHOTS

from flexhub.fulfillment.commands import CreateCarrierAccount
from flexhub.identity.commands import CreateApiKey, CreatePartner
from flexhub.resellers import SetResellerBrand, SetResellerPrices, SetResellerTerms
from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.carrier import create_app as sf_app
from flexhub.sandbox.server import served
from flexhub.sandbox.stage import Stage, staged, wait_until
from flexhub.testing import database
from flexhub.testing.builders import create_location, create_sku, receive

pytestmark = pytest.mark.browser
SKU = "TEE-RED-M"
TOKEN = "sandbox-push-token"


@pytest.fixture(scope="module")
def world(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The brand (ten tees at WH-HZ, an SF account) and reseller-sg on credit terms, served with a sandbox."""
    folder = tmp_path_factory.mktemp("reseller-journey")
    url = database.copy_sqlite(sqlite_template, folder / "flexhub.db")
    with staged(url, push_interval_s=0.2, assets_dir=str(ROOT / "node_modules")) as stage:
        hub, admin = stage.hub, stage.admin
        create_sku(hub, admin, SKU, weight_g=300)
        create_location(hub, admin, "WH-HZ", "regional", country="CN", province="浙江省", city="杭州市")
        receive(hub, admin, SKU, "WH-HZ", 10)
        hub.handle(CreatePartner(actor=admin, code="reseller-sg", kind="reseller", name="Lion City Tees Pte"))
        keys = {"brand": hub.handle(CreateApiKey(actor=admin, role="admin", name="brand")).token,
                "reseller": hub.handle(CreateApiKey(actor=admin, role="partner", name="sg",
                                                    partner="reseller-sg")).token}
        hub.handle(SetResellerTerms(actor=admin, partner="reseller-sg", currency="CNY", credit_limit=20_000,
                                    dropship_fee=300))
        hub.handle(SetResellerPrices(actor=admin, partner="reseller-sg", prices=[
            {"sku": SKU, "unit_price": 8000, "valid_from": date(2020, 1, 1)}]))
        hub.handle(SetResellerBrand(actor=admin, partner="reseller-sg", name="Lion City Tees",
                                    phone="+6561234567"))
        sf = SfSandbox()
        with served(sf_app(sf)) as sf_url:
            account = hub.handle(CreateCarrierAccount(actor=admin, carrier="sf_express",
                                                      credentials=sf.credentials(sf_url, TOKEN)))
            sf.push_url = f"{stage.market.hub_url}/webhooks/carriers/sf_express/{account.id}?token={TOKEN}"
            yield {"stage": stage, "keys": keys, "sf": sf, "url": stage.market.hub_url}
        sf.close()


def signed_in(browser: Browser, world: dict[str, Any], who: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.goto(f"{world['url']}/login")
    page.locator('form[data-form="key"] input[name="api_key"]').fill(world["keys"][who])
    page.locator('form[data-form="key"] button').click()
    page.wait_for_url(f"{world['url']}/")
    return page


def snap(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def brand_api(world: dict[str, Any], method: str, path: str, body: Any = None) -> Any:
    answer = httpx2.request(method, f"{world['url']}{path}", json=body, timeout=30,
                            headers={"Authorization": f"Bearer {world['keys']['brand']}"})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def until_shown(page: Page, selector: str, text: str, timeout_s: float = 20) -> None:
    """Reload until `selector` shows `text` (the pages draw what is there when asked)."""
    def shown() -> bool:
        page.reload()
        return text in (page.locator(selector).first.text_content() or "")
    wait_until(shown, timeout_s=timeout_s, every_s=0.5)


def test_a_reseller_connects_sells_ships_blind_and_returns_seen_by_both_sign_ins(
        browser: Browser, world: dict[str, Any]) -> None:
    stage: Stage = world["stage"]
    store = stage.market.open_store("generic", "sg-shop", ["LCT-TEE-RED"])
    me = signed_in(browser, world, "reseller")
    brand = signed_in(browser, world, "brand")

    # The reseller connects its store and maps its listing, by the dashboard's forms.
    me.goto(f"{world['url']}/resellers")
    expect(me.locator('[data-figure="brand"]')).to_have_text("Lion City Tees")
    me.locator('a[data-link="stores"]').click()
    connect = me.locator('form[data-form="connect"]')
    connect.locator('input[name="code"]').fill("sg-shop")
    connect.locator('input[name="platform"]').fill("generic")
    connect.locator('input[name="name"]').fill("Lion City Tees on its site")
    connect.locator('textarea[name="credentials"]').fill(
        "\n".join(f"{k}={v}" for k, v in store.credentials.items()))
    connect.locator("button").click()
    mapping = me.locator('form[data-form="listing-sg-shop"]')
    mapping.locator('input[name="external_sku"]').fill("LCT-TEE-RED")
    mapping.locator('input[name="sku"]').fill(SKU)
    mapping.locator("button").click()
    wait_until(lambda: store.listing("LCT-TEE-RED").quantity == 10)  # its allotment reaches its store
    until_shown(me, '[data-listing="LCT-TEE-RED"] [data-figure="available"]', "10")
    snap(me, "reseller-stores")

    # A buyer orders in its store; the reseller and the brand both see the order.
    placed = stage.market.place_order(store, {"LCT-TEE-RED": 2})
    me.goto(f"{world['url']}/orders")
    until_shown(me, "main", placed.external_id)
    order = wait_until(lambda: [o for o in brand_api(world, "GET", "/api/v1/orders", None)["orders"]
                                if o["external_id"] == placed.external_id and o["status"] == "routed"])[0]
    brand.goto(f"{world['url']}/orders/{order['id']}")
    expect(brand.locator("h1")).to_contain_text(placed.external_id)

    # A second order over the credit limit waits on the brand's exceptions page.
    held = stage.market.place_order(store, {"LCT-TEE-RED": 1})
    brand.goto(f"{world['url']}/exceptions")
    until_shown(brand, "main", held.external_id)
    expect(brand.locator("main")).to_contain_text("credit.over_limit")

    # The brand ships it with SF (as its warehouse does, through the API); SF carries it to the door.
    shipment = brand_api(world, "POST", f"/api/v1/orders/{order['id']}/shipments",
                         {"node": "WH-HZ", "carrier": "sf_express"})
    for step in ("pick", "pack", "ship"):
        brand_api(world, "POST", f"/api/v1/shipments/{shipment['id']}/{step}", {})
    for scan in ("picked_up", "out_for_delivery", "delivered"):
        world["sf"].scan(shipment["waybill_number"], scan)
    me.goto(f"{world['url']}/resellers/reseller-sg/parcels")
    until_shown(me, f'[data-shipment="{shipment["id"]}"]', "delivered")
    expect(me.locator(f'[data-shipment="{shipment["id"]}"]')).to_contain_text(shipment["waybill_number"])
    slip = me.request.get(f"{world['url']}" + me.locator(
        f'[data-shipment="{shipment["id"]}"] a[data-link="packing-slip"]').get_attribute("href"))
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=slip.body(), capture_output=True, check=True).stdout.decode()
    assert "Lion City Tees" in text and "Acme" not in text and "WH-HZ" not in text

    # The reseller opens a return by form; the brand receives it.
    form = me.locator('form[data-form="return"]')
    form.locator('select[name="order_id"]').select_option(label=placed.external_id)
    form.locator('input[name="sku"]').fill(SKU)
    form.locator('input[name="reason"]').fill("too small")
    form.locator("button").click()
    expect(me.locator('table[data-table="returns"] tbody tr')).to_contain_text("too small")
    [rma] = brand_api(world, "GET", "/api/v1/returns")["returns"]
    brand_api(world, "POST", f"/api/v1/returns/{rma['id']}/receive", {"node": "WH-HZ"})
    me.reload()
    expect(me.locator(f'[data-return="{rma["id"]}"]')).to_contain_text("received")
    snap(me, "reseller-parcels")

    # The statement, from both sign-ins: the credit the return freed released the held order (80.00 and its
    # 代发费 3.00 charged): 83.00 more owed than before, 166.00 in all.
    for page in (me, brand):
        page.goto(f"{world['url']}/resellers/reseller-sg")
        until_shown(page, '[data-figure="closing"]', "CN¥166.00")
        expect(page.locator('[data-figure="closing"]')).to_have_text("CN¥166.00")
        expect(page.locator('tr[data-kind="returned"]')).to_contain_text("-CN¥80.00")
        goods, fees = page.locator('tr[data-kind="goods"]'), page.locator('tr[data-kind="dropship_fee"]')
        expect(goods).to_have_count(2)
        expect(goods.first).to_contain_text("CN¥160.00")  # the first order, two tees
        expect(goods.last).to_contain_text("CN¥80.00")  # the order the freed credit released
        expect(fees.first).to_contain_text("CN¥3.00")
        expect(page.locator('[data-figure="balance"]')).to_contain_text("Credit left: CN¥34.00")
    snap(brand, "brand-reseller-statement")
    assert me.goto(f"{world['url']}/resellers/reseller-other").status == 404

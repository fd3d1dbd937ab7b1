"""Bulk work on the orders page, in English and Chinese, at 1,440 and 390 px: orders chosen with their boxes (or all
of the page at once) are held, released, shipped and cancelled as batches whose page follows them to the end; the
picking list of the chosen orders is a PDF that, rendered to PNG, shows each node's picks in bin order. A viewer
gets no boxes and no buttons."""

import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from flexhub.inventory import AssignBins
from flexhub.testing import builders
from flexhub.testing.snapshots import order
from flexhub.web import i18n
from flexhub.web.labels import label

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LOCALES = ("en", "zh_Hans")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BINS = {"TEE-RED-M": "B-02-07", "TEE-BLUE-M": "A-01-03"}


@pytest.fixture(scope="module", autouse=True)
def bins(dashboard: Dashboard) -> None:
    dashboard.hub.handle(AssignBins(actor=dashboard.shop.tenant.admin, location="WH-CENTRAL", bins=BINS))


def in_language(page: Page, dashboard: Dashboard, locale: str, size: str) -> None:
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")


def shown(locale: str, code: str) -> str:
    token = i18n.current.set(locale)
    try:
        return label(code)
    finally:
        i18n.current.reset(token)


def place(dashboard: Dashboard, tag: str) -> list[uuid.UUID]:
    """Three orders of the tag: a red and a blue tee from WH-CENTRAL, and one more red."""
    admin, hub = dashboard.shop.tenant.admin, dashboard.hub
    return [builders.import_order(hub, admin, external_id=f"{tag}-{n}", lines=[builders.line(sku, 1)]).order_id
            for n, sku in enumerate(["TEE-RED-M", "TEE-BLUE-M", "TEE-RED-M"])]


def choose(page: Page, dashboard: Dashboard, tag: str, numbers: list[int] | None = None) -> None:
    page.goto(f"{dashboard.url}/orders?q={tag}&sort=external_id")
    if numbers is None:
        page.check("[data-choose-all]")
    else:
        for n in numbers:
            page.check(f'input[name=order][aria-label="{tag}-{n}"]')
    expect(page.locator("[data-chosen]")).to_have_text(str(3 if numbers is None else len(numbers)))


def batch_ends(page: Page, locale: str, outcomes: list[str]) -> None:
    expect(page).to_have_url(re.compile(r"/orders/batches/[0-9a-f-]{36}$"))
    expect(page.locator("#progress")).to_have_attribute("data-state", "done", timeout=15_000)
    rows = page.locator("table[data-table=batch] tbody tr")
    expect(rows).to_have_count(len(outcomes))
    for row, outcome in zip(rows.all(), outcomes, strict=True):
        expect(row).to_have_attribute("data-item-state", "done")
        expect(row.locator("td").nth(1)).to_contain_text(shown(locale, outcome))


def wait_routed(dashboard: Dashboard, order_ids: list[uuid.UUID]) -> None:
    """The routing job routes released orders on its own (it wakes when an order reserves)."""
    deadline = time.monotonic() + 15
    admin = dashboard.shop.tenant.admin
    while any(order(dashboard.hub, admin, i)["status"] != "routed" for i in order_ids):
        assert time.monotonic() < deadline, "the released orders were not routed"
        time.sleep(0.1)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", LOCALES)
def test_chosen_orders_are_held_released_shipped_cancelled_and_picked_in_bin_order(
        page: Page, dashboard: Dashboard, sign_in: Callable[..., None], screenshot: Callable[[str], Path],
        locale: str, size: str) -> None:
    tag = f"BK{LOCALES.index(locale)}{size[0].upper()}"
    placed = place(dashboard, tag)
    sign_in()
    in_language(page, dashboard, locale, size)

    choose(page, dashboard, tag)
    screenshot(f"orders-bulk-{locale}-{size}")
    page.click("button[data-bulk=hold]")
    batch_ends(page, locale, ["on_hold"] * 3)
    screenshot(f"batch-{locale}-{size}")

    choose(page, dashboard, tag)
    page.click("button[data-bulk=release]")
    batch_ends(page, locale, ["reserved"] * 3)
    wait_routed(dashboard, placed)

    choose(page, dashboard, tag, [0, 1])
    page.click("button[data-bulk=ship]")
    batch_ends(page, locale, ["routed", "routed"])
    pdf = page.request.get(dashboard.url + page.get_attribute("[data-print=picking-list]", "href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    picked = _rendered(pdf.body(), f"picking-list-{locale}-{size}")
    assert picked.index(BINS["TEE-BLUE-M"]) < picked.index(BINS["TEE-RED-M"])  # walked in bin order
    assert f"{tag}-0" in picked and f"{tag}-1" in picked and f"{tag}-2" not in picked

    choose(page, dashboard, tag, [2])
    page.once("dialog", lambda dialog: dialog.accept())  # "Cancel the chosen orders?"
    page.click("button[data-bulk=cancel]")
    batch_ends(page, locale, ["cancelled"])


def _rendered(content: bytes, name: str) -> str:
    """The PDF kept under test-artifacts/, its first page rendered to PNG (A4, ink on it) and its text."""
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(ARTIFACTS / name)], check=True, timeout=60)
    with Image.open(ARTIFACTS / f"{name}.png") as image:
        width, height = image.size
        assert abs(width - 595) <= 1 and abs(height - 842) <= 1  # A4 at 72 dpi (pdftoppm rounds up)
        grey = image.convert("L")
        ink = sum(1 for value in grey.getdata() if value < 128)
        heading = grey.crop((0, 0, width, 120))
        assert 0.002 < ink / (width * height) < 0.2  # text drawn, not a blank or black page
        assert any(value < 128 for value in heading.getdata())  # the heading at the top
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout


@pytest.mark.parametrize("locale", LOCALES)
def test_a_viewer_gets_no_boxes_and_no_bulk_buttons(page: Page, dashboard: Dashboard,
                                                    sign_in: Callable[..., None], locale: str) -> None:
    sign_in("viewer")
    in_language(page, dashboard, locale, "desk")
    page.goto(f"{dashboard.url}/orders")
    expect(page.locator("table[data-table=orders] tbody tr").first).to_be_visible()
    expect(page.locator("#bulk")).to_have_count(0)
    expect(page.locator("input[name=order]")).to_have_count(0)
    answer = page.request.get(f"{dashboard.url}/orders/picking-list.pdf?order={dashboard.shop.order_id}")
    assert answer.status == 403

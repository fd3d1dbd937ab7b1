"""Every page of the dashboard, in English and Chinese, at 1,440 and 390 px: its load time kept (the median of five
loads, test-artifacts/page_load_ms.json) and a full-page screenshot (test-artifacts/screenshots/page-…png); and no
Chinese page shows a message of the catalogs in English, nor a status, state or role code the pages translate, nor
a sentence of the API's (a routing reason, an order's status reason, a finding, an error) the pages translate."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Page

from flexhub.web import i18n
from flexhub.web.api_text import PATTERNS
from flexhub.web.labels import CODES

pytestmark = pytest.mark.browser

Dashboard = Any
SIZES = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
# The page's own words: text nodes outside scripts, styles, code and the language switch (it names each language
# in that language).
TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('script, style, code, pre, .lang, [data-raw]')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) found.push(text);
  }
  for (const element of document.querySelectorAll('[placeholder], [title], [aria-label]'))
    for (const name of ['placeholder', 'title', 'aria-label'])
      if (element.getAttribute(name)) found.push(element.getAttribute(name).trim());
  return found;
}"""


def english_messages() -> set[str]:
    """Every message of the Chinese catalog whose Chinese differs from its English (a code a page shows as it is,
    like `ERP`, is left out)."""
    with (i18n.CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    found = set()
    for message in catalog:
        english = message.id if isinstance(message.id, str) else message.id[0]
        chinese = message.string if isinstance(message.string, str) else message.string[0]
        if english and chinese and chinese != english and "%(" not in english:
            found.add(english.strip())
    return found


def api_english(text: str) -> bool:
    """A sentence of the API's (a routing reason, a status reason, a finding, an error) left in English."""
    return any(pattern.search(text) for pattern, _ in PATTERNS)


def pages(page: Page, dashboard: Dashboard) -> list[str]:
    page.goto(f"{dashboard.url}/")
    menu = page.eval_on_selector_all("header nav a", "links => links.map(a => a.getAttribute('href'))")
    # ReDoc's page is drawn for the API's readers and is too long to photograph whole: test_api_docs draws it.
    return [*dict.fromkeys(menu), "/inventory/TEE-RED-M", f"/orders/{dashboard.shop.order_id}", "/account", "/docs"]


def name_of(path: str) -> str:
    shown = re.sub(r"/orders/[0-9a-f-]{36}", "/order", path)
    return re.sub(r"[^a-z0-9]+", "-", shown.lower()).strip("-")[:40] or "overview"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_every_page_is_photographed_timed_and_in_its_language(
        page: Page, dashboard: Dashboard, sign_in: Callable[..., None], visit: Callable[[str, str], Page],
        locale: str, size: str) -> None:
    sign_in()
    page.set_viewport_size(SIZES[size])
    page.goto(f"{dashboard.url}/lang/{locale}?back=/")
    paths = pages(page, dashboard)
    english = english_messages()
    left_in_english: dict[str, list[str]] = {}
    for path in paths:
        visit(path, f"page-{name_of(path)}-{locale}-{size}")
        if locale == "zh_Hans" and path != "/docs":  # the API's documents are the API's English
            texts = page.evaluate(TEXTS)
            untranslated = sorted({t for t in texts if t in english or t in CODES or api_english(t)})
            if untranslated:
                left_in_english[path] = untranslated
    assert len(paths) >= 14
    assert left_in_english == {}


def test_the_check_sees_english_left_on_a_chinese_page() -> None:
    english = english_messages()
    assert {"Orders", "Cancel order", "Release"} <= english
    assert "订单" not in english
    assert api_english("routed from WH-EAST: the best single node (WH-EAST)")
    assert not api_english("最佳的单一节点（WH-EAST）") and not api_english("Tee, red, M")

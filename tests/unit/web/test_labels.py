"""Every status, state and role code the pages show has its Chinese; times show in the page's zone, to the second,
with the zone named; amounts in their currency as the page's language writes it, through the one `money` filter."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from flexhub.kernel.zones import zone
from flexhub.web import i18n
from flexhub.web.labels import CODES, label, local_time, money


def test_every_code_a_page_shows_has_its_chinese() -> None:
    with (i18n.CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)

    untranslated = sorted(code for code in CODES if not ((found := catalog.get(code)) and found.string))

    assert untranslated == []


@pytest.mark.parametrize(("locale", "shown"), [("en", "awaiting_stock"), ("zh_Hans", "待补货")])
def test_a_status_reads_in_the_pages_language(locale: str, shown: str) -> None:
    token = i18n.current.set(locale)
    try:
        assert label("awaiting_stock") == shown
        assert label("a-sku-code") == "a-sku-code"  # not a code: shown as it is
    finally:
        i18n.current.reset(token)


@pytest.mark.parametrize(("locale", "shown"), [("en", "2026-12-05 06:59:51 UTC"),
                                               ("zh_Hans", "2026-12-05 14:59:51 +08:00")])
def test_a_time_shows_in_the_pages_zone_without_microseconds(locale: str, shown: str) -> None:
    token = i18n.current.set(locale)
    try:
        assert local_time(datetime(2026, 12, 5, 6, 59, 51, 521073, tzinfo=UTC)) == shown
        assert local_time(datetime(2026, 12, 5, 6, 59, 51, 521073)) == shown  # SQLite's naive UTC
    finally:
        i18n.current.reset(token)


def test_the_tenants_zone_is_shown_whatever_the_language() -> None:
    token = i18n.current.set("en")
    try:
        assert local_time(datetime(2026, 12, 4, 17, 30, tzinfo=UTC), where=zone("Asia/Shanghai")) == \
            "2026-12-05 01:30:00 +08:00"
    finally:
        i18n.current.reset(token)


def untranslated_in(folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """How many messages the templates (`_()`) and code (`gettext_()`) under `folder` ask for, as Babel extracts
    them, and those the Chinese catalog has no Chinese for."""
    with (i18n.CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source)
    keywords = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2)}
    found = [(path, message if isinstance(message, str) else message[0]) for path, _, message, _, _ in
             extract_from_dir(folder, keywords=keywords,
                              method_map=[("**/templates/**.html", "jinja2"), ("**.py", "python")],
                              options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}})]
    return len(found), sorted({(path, m) for path, m in found if not ((e := catalog.get(m)) and e.string)})


def test_every_message_the_pages_and_their_code_ask_for_has_its_chinese() -> None:
    asked, untranslated = untranslated_in(i18n.CATALOGS.parents[1])  # src/flexhub

    assert asked > 400  # the templates were read, not only the code
    assert untranslated == []


def test_the_check_sees_a_message_without_chinese(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<p>{{ _("Orders") }} {{ _("A zebra nobody translated") }}</p>')

    assert untranslated_in(tmp_path) == (2, [("templates/page.html", "A zebra nobody translated")])


@pytest.mark.parametrize(("amount", "currency", "locale", "shown"), [
    (123450, "CNY", "zh_Hans", "¥1,234.50"), (123450, "USD", "zh_Hans", "US$1,234.50"),
    (123450, "CNY", "en", "CN¥1,234.50"), (123450, "USD", "en", "$1,234.50"),
    (1234, "JPY", "en", "¥1,234"), (1234, "JPY", "zh_Hans", "JP¥1,234"),  # yen have no minor unit
    (123456, "KWD", "en", "KWD123.456"),  # fils are thousandths
    (1500000, "IDR", "zh_Hans", "IDR1,500,000"),  # whole rupiah, as kernel.money stores them
    (12345, "HUF", "en", "HUF123.45"),  # CLDR shows forints whole; the hub stores hundredths: none is lost
    (-5000, "CNY", "zh_Hans", "-¥50.00"), (0, "EUR", "en", "€0.00"),
])
def test_an_amount_shows_in_its_currency_as_the_language_writes_it(amount: int, currency: str, locale: str,
                                                                   shown: str) -> None:
    assert money(amount, currency, locale) == shown


def test_an_amount_takes_the_pages_language_when_none_is_named() -> None:
    token = i18n.current.set("zh_Hans")
    try:
        assert money(990, "CNY") == "¥9.90"
    finally:
        i18n.current.reset(token)
    assert money(990, "CNY") == "CN¥9.90"


def test_no_amount_is_a_dash_and_an_amount_without_a_currency_its_figure() -> None:
    assert money(None, "CNY", "en") == "—"
    assert money(123450, None, "en") == "1,234.50"


PAGES = i18n.CATALOGS.parents[1]  # src/flexhub/web
BY_HAND = re.compile(r"/\s*100\b")  # an amount divided into units on its own, beside the one filter


def test_no_page_turns_minor_units_into_an_amount_by_hand() -> None:
    found = [f"{path.relative_to(PAGES)}:{n}" for path in sorted((PAGES / "templates").glob("*.html"))
             for n, line in enumerate(path.read_text().splitlines(), 1) if BY_HAND.search(line)]

    assert found == []


def test_the_catalog_gives_each_text_one_translation() -> None:
    """A text listed twice takes whichever translation comes last, on every page that shows it (Babel keeps one)."""
    text = (i18n.CATALOGS / "zh_Hans" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    keys = re.findall(r'^(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)*)"$', text, flags=re.MULTILINE)
    twice = sorted({key for key in keys if key[1] and keys.count(key) > 1})  # "" is the header (or a long text)

    assert twice == []

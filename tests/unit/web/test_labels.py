"""Every status, state and role code the pages show has its Chinese; times show in the page's zone, to the second,
with the zone named."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from flexhub.kernel.zones import zone
from flexhub.web import i18n
from flexhub.web.labels import CODES, label, local_time


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

"""Every status, state and role code the pages show has its Chinese; times show in the page's zone, to the second,
with the zone named."""

from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po

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

"""English and Simplified Chinese: Babel message catalogs read at start, chosen per request."""

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = {"en": "English", "zh_Hans": "简体中文"}
DEFAULT = "en"
CATALOGS = Path(__file__).parent / "locale"
current: ContextVar[str] = ContextVar("locale", default=DEFAULT)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    po = CATALOGS / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()  # compiled in memory: the package's files stay read-only
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_(message: str) -> str:
    return translations(current.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current.get()).ngettext(singular, plural, n)


def choose(requested: str | None, accept_language: str | None) -> str:
    if requested in LOCALES:
        return requested
    if accept_language and accept_language.lower().startswith("zh"):
        return "zh_Hans"
    return DEFAULT

"""An amount of money written as a language writes its currency (Babel's CLDR data): ¥1,234.50 for CNY and
US$1,234.50 for USD in Chinese, CN¥1,234.50 and $1,234.50 in English, to the currency's own minor unit (¥1,234 for
JPY). The pages' `money` filter and the printed shelf labels both write amounts through it."""

from copy import copy
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, format_decimal

from flexhub.kernel.money import minor_digits

LANGUAGES = {"en": "en", "zh_Hans": "zh_Hans_CN"}  # the hub's languages as Babel's number formats name them
NO_AMOUNT = "—"


def money_text(amount: int | None, currency: str | None, language: str) -> str:
    """`amount` (minor units) in `currency` as `language` (a hub language or a CLDR locale) writes it. No amount: a
    dash; no currency (none known yet): the figure alone, in hundredths."""
    if amount is None:
        return NO_AMOUNT
    where = LANGUAGES.get(language, language)
    if not currency:
        return str(format_decimal(Decimal(int(amount)).scaleb(-2), format="#,##0.00", locale=_locale(where)))
    digits = minor_digits(currency)
    return str(_currency_shape(where, digits).apply(Decimal(int(amount)).scaleb(-digits), _locale(where),
                                                    currency=currency, currency_digits=False))


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _currency_shape(locale: str, digits: int) -> NumberPattern:
    """The locale's currency pattern held to `digits` decimals (Babel's own table differs from ours for some)."""
    shape: NumberPattern = copy(_locale(locale).currency_formats["standard"])
    shape.frac_prec = (digits, digits)
    return shape

"""Reading the cells of a statement file: columns by their header names, amounts into minor units, and times in
the formats platforms print. Every reader raises ValueError on a cell it cannot read; the format keeps that line
as unreadable."""

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation

from flexhub.finance.errors import UnreadableStatement
from flexhub.integrations.beijing import SHANGHAI
from flexhub.kernel.money import to_minor

# Marks platforms put before or after a cell so spreadsheets keep it as text: WeChat's backtick, Alipay's tab.
PADDING = " \t`'\"\ufeff"
CURRENCY_SIGNS = "¥￥$€£"


def cells(line: str, delimiter: str = ",") -> list[str]:
    """One physical line's cells, quotes honoured, padding stripped."""
    row = next(csv.reader([line], delimiter=delimiter), [])
    return [cell.strip(PADDING) for cell in row]


class Columns:
    """A header row: which cell holds which column. A header lacking a required column is not this format."""

    def __init__(self, header: Sequence[str], required: Iterable[str], title: str) -> None:
        self.names = list(header)
        missing = [name for name in required if name not in self.names]
        if missing:
            raise UnreadableStatement(f"not a {title}: its header lacks {', '.join(missing)}", missing=missing)

    def record(self, row: Sequence[str]) -> dict[str, str]:
        if len(row) != len(self.names):
            raise ValueError(f"{len(row)} cells where the header names {len(self.names)}")
        return dict(zip(self.names, row, strict=True))


def money(text: str | None, currency: str, *, required: bool = True) -> int:
    """A printed amount ("1,234.56", "-66.00", "12,34" with a decimal comma, "¥59.00") in minor units."""
    cleaned = (text or "").strip(PADDING).lstrip(CURRENCY_SIGNS).replace(" ", "")
    if not cleaned:
        if required:
            raise ValueError("an amount is missing")
        return 0
    cleaned = _decimal_point(cleaned)
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount")
    return to_minor(value, currency)


def _decimal_point(text: str) -> str:
    """Thousands separators out, a decimal comma ("12,34", "1.234,56") made a point."""
    if "," in text and "." in text:
        return text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    whole, comma, tail = text.rpartition(",")
    if comma and len(tail) in (1, 2) and "," not in whole:
        return f"{whole}.{tail}"
    return text.replace(",", "")


def beijing(text: str) -> datetime:
    """A "yyyy-MM-dd HH:mm:ss" (or "yyyy/MM/dd ...") time printed in Beijing time, as UTC."""
    return moment(text, ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"), SHANGHAI)


def moment(text: str, formats: Sequence[str], zone: tzinfo = UTC) -> datetime:
    cleaned = text.strip(PADDING)
    for pattern in formats:
        try:
            parsed = datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
    raise ValueError(f"{text!r} is not a time")


def currency_code(text: str | None) -> str:
    code = (text or "").strip(PADDING).upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"{text!r} is not a currency code")
    return code


def json_items(content: str, key: str) -> list[tuple[int, str, object]]:
    """The items of the JSON array at `key` of the top object (or the top array itself), each with the line it
    starts on and its exact text, so a line kept for a person shows what the platform sent. Not JSON: ValueError."""
    decoder = json.JSONDecoder()
    position = _space(content, 0)
    if content.startswith("{", position):
        position = _value_of(decoder, content, position, key)
    if not content.startswith("[", position):
        raise ValueError(f'expected {{"{key}": [...]}} or a list')
    items = []
    position = _space(content, position + 1)
    while not content.startswith("]", position):
        value, end = decoder.raw_decode(content, position)
        items.append((content.count("\n", 0, position) + 1, content[position:end], value))
        position = _space(content, end)
        if content.startswith(",", position):
            position = _space(content, position + 1)
        elif not content.startswith("]", position):
            raise ValueError(f"expected , or ] at character {position}")
    decoder.decode(content)  # the rest of the document must be JSON too
    return items


def _value_of(decoder: json.JSONDecoder, content: str, position: int, key: str) -> int:
    """Where the value of `key` starts in the object opening at `position`."""
    position = _space(content, position + 1)
    while not content.startswith("}", position):
        name, position = decoder.raw_decode(content, position)
        position = _space(content, position)
        if not content.startswith(":", position):
            raise ValueError(f"expected : at character {position}")
        position = _space(content, position + 1)
        if name == key:
            return position
        _, position = decoder.raw_decode(content, position)
        position = _space(content, position)
        if content.startswith(",", position):
            position = _space(content, position + 1)
    raise ValueError(f"no {key!r} in the object")


def _space(content: str, position: int) -> int:
    while position < len(content) and content[position] in " \t\r\n\ufeff":
        position += 1
    return position

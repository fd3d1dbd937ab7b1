"""What a list's search box finds, the same on SQLite and PostgreSQL: the text is cut into words (full-width
characters read as their ASCII forms, any case), and a row matches when each word is found somewhere in it, in any
order: `red tee` finds `TEE-RED-M`, `ｔｅｅ` finds it too, `13 5678` the order whose number holds 13 and whose
phone ends 5678. Plain LIKE conditions, so no extension is needed and both databases answer alike; each list says
where a word may be found."""

import unicodedata
from collections.abc import Callable

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, func, or_

MAX_WORDS = 8  # more words than this in a search box are a pasted paragraph: the first eight decide


def words(text: str | None) -> list[str]:
    """The words a search text holds, lower case, each once, in the order typed."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return list(dict.fromkeys(folded.split()))[:MAX_WORDS]


def every_word(text: str | None, found: Callable[[str], ColumnElement[bool]]) -> ColumnElement[bool] | None:
    """A row matches when `found(word)` holds for each word; None when the text holds no word (nothing filtered)."""
    asked = words(text)
    return and_(*(found(word) for word in asked)) if asked else None


def containing(word: str, *columns: SQLColumnExpression[str | None]) -> ColumnElement[bool]:
    """The word (lower case) inside any of these columns, in any case; a column's NULL holds nothing."""
    return or_(*(func.lower(column).contains(word, autoescape=True) for column in columns))

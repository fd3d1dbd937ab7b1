"""What a list's search box finds, the same on SQLite and PostgreSQL: the text is cut into words (full-width
characters read as their ASCII forms, any case), and a row matches when each word is found somewhere in it, in any
order: `red tee` finds `TEE-RED-M`, `ｔｅｅ` finds it too, `13 5678` the order whose number holds 13 and whose
phone ends 5678. Plain LIKE conditions, so no extension is needed and both databases answer alike; each list says
where a word may be found. When no row holds every word, a list may show the rows that hold each word or one a
single edit away (near_containing; lists.queries falls back to them and says so): a typo still finds the SKU."""

import unicodedata
from collections.abc import Callable

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, func, or_

# Where a list looks for one word: `containing` (as typed) or `near_containing` (one edit away too).
Match = Callable[..., ColumnElement[bool]]
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


# A word shorter than this finds only what holds it exactly: one edit from "tee" is half a catalog.
NEAR_MIN = 4
ESCAPE = "/"


def near_containing(word: str, *columns: SQLColumnExpression[str | None]) -> ColumnElement[bool]:
    """The word, or one a single edit away from it (a letter changed, added or dropped, or two side by side
    swapped: `hoodei` finds `Hoodie`, `tee-rde-m` finds `TEE-RED-M`), inside any of these columns, in any case.
    Plain LIKE patterns, one per edit, so neither database needs an extension."""
    if len(word) < NEAR_MIN:
        return containing(word, *columns)
    return or_(*(func.lower(column).like(f"%{pattern}%", escape=ESCAPE)
                 for column in columns for pattern in near_patterns(word)))


def near_patterns(word: str) -> list[str]:
    """LIKE patterns (LIKE's own characters escaped) of every text one edit from the word: `_` for a letter changed
    or added inside it, each letter left out, each pair swapped."""
    letters = [ESCAPE + c if c in f"{ESCAPE}%_" else c for c in word]
    n = len(letters)
    changed = [letters[:i] + ["_"] + letters[i + 1:] for i in range(n)]
    added = [letters[:i] + ["_"] + letters[i:] for i in range(1, n)]  # at an end: already what `%` stands for
    dropped = [letters[:i] + letters[i + 1:] for i in range(n)]
    swapped = [letters[:i] + [letters[i + 1], letters[i]] + letters[i + 2:] for i in range(n - 1)
               if letters[i] != letters[i + 1]]
    return list(dict.fromkeys("".join(p) for p in (*changed, *added, *dropped, *swapped)))


def may_be_near(text: str | None) -> bool:
    """Whether the text holds a word long enough to be looked for one edit away."""
    return any(len(word) >= NEAR_MIN for word in words(text))

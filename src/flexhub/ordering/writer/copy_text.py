"""PostgreSQL COPY's text format for the order writer's rows: a backslash, tab, newline or carriage return inside a
value is escaped, and \\N is NULL."""

import json
import re
import uuid
from datetime import datetime
from typing import Any

dumps = json.JSONEncoder(separators=(",", ":")).encode  # a JSON column's text, compact
NULL = "\\N"

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def esc(text: str) -> str:
    # translate() looks every character up in a dict: only for the rare text that needs it.
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def opt(text: str | None) -> str:
    return NULL if text is None else esc(text)


def boolean(value: bool) -> str:
    return "t" if value else "f"


def copy_text(value: Any) -> str:
    """A value of a row made as a dict (the batch's few audit rows) as COPY text."""
    if value is None:
        return NULL
    if isinstance(value, dict):
        return esc(dumps(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return esc(str(value))


class IdText(dict[uuid.UUID | None, str]):
    """str(id) once per batch for ids many rows repeat; None is NULL."""

    def __call__(self, value: uuid.UUID | None) -> str:
        try:
            return self[value]
        except KeyError:
            text = self[value] = NULL if value is None else str(value)
            return text

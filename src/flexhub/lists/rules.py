"""Sorting and cursors, pure. A cursor is the last row's sort values (and its id, the tie-break), with the sort it
was made for, in URL-safe base64 JSON: opaque to clients, refused when tampered with or used with another sort."""

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flexhub.lists.errors import BadCursor, UnknownSort


@dataclass(frozen=True)
class SortOrder:
    field: str
    descending: bool

    @property
    def text(self) -> str:
        return ("-" if self.descending else "") + self.field


def parse_sort(text: str | None, allowed: Sequence[str], default: str) -> SortOrder:
    """`created_at` ascending, `-created_at` descending; a field not in `allowed` is refused."""
    chosen = (text or default).strip()
    field = chosen.removeprefix("-")
    if field not in allowed:
        raise UnknownSort(f"sort by one of {', '.join(allowed)} (a leading - sorts descending)",
                          allowed=list(allowed))
    return SortOrder(field, chosen.startswith("-"))


def encode_cursor(sort: SortOrder, values: Sequence[Any]) -> str:
    body = json.dumps({"s": sort.text, "v": [_tagged(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode_cursor(text: str, sort: SortOrder, size: int) -> list[Any]:
    """The values a cursor holds; BadCursor unless it is one this sort gave, with `size` values."""
    try:
        body = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        values = [_untagged(v) for v in body["v"]] if body["s"] == sort.text else None
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise BadCursor("the cursor is not one this list gave") from error
    if values is None or len(values) != size:
        raise BadCursor(f"the cursor was made for another sort than {sort.text}")
    return values


def _tagged(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"a cursor holds no {type(value).__name__}")
    return ["i" if isinstance(value, int) else "s", value]


def _untagged(tagged: list[Any]) -> Any:
    kind, value = tagged
    if kind == "d":
        return datetime.fromisoformat(value)
    if kind == "u":
        return uuid.UUID(value)
    if kind == "i" and isinstance(value, int) or kind == "s" and isinstance(value, str):
        return value
    raise ValueError(f"unknown cursor value {tagged!r}")

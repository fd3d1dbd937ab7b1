"""Text flexhub can store: every inbound string is valid Unicode that encodes as UTF-8, with no NUL.

A lone UTF-16 surrogate (JSON's `"\\ud800"` escape) decodes into a Python string that neither SQLite's
driver nor PostgreSQL can write and no JSON answer can carry; NUL is refused by PostgreSQL's text type.
Such text is refused where it comes in, before anything is written, never cleaned silently: a buyer's
name or address changed behind the sender's back would be worse than a clear refusal.
"""

import re
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

ERROR_TYPE = "text_unstorable"
_NUL_OR_SURROGATE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
KNOWN_STORABLE = "text_known_storable"  # a validation context's key: every string of the input was checked whole


def known_storable(decoded: str) -> bool:
    """Whether every string JSON decodes from this document (already decoded from strict UTF-8) is storable: it
    has no NUL and no `\\u` escape of a NUL or of a surrogate (D800-DFFF), the only ways to a NUL or a lone
    surrogate once the bytes were valid UTF-8. A surrogate pair's escapes (an emoji sent as ASCII) count as one that
    may not be: the caller then walks the strings. One scan of the body in C instead of a walk of every decoded
    string; other escapes (Chinese text sent as ASCII JSON, as Python's json.dumps writes it) need no walk."""
    return "\x00" not in decoded and ("\\u" not in decoded or not _NUL_OR_SURROGATE_ESCAPE.search(decoded))


def unstorable_reason(value: str) -> str | None:
    """Why `value` cannot be stored, or None when it can."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains a lone UTF-16 surrogate at position {error.start}"
    return None


def storable(value: str) -> str:
    if reason := unstorable_reason(value):
        raise PydanticCustomError(ERROR_TYPE, "the text {reason}", {"reason": reason})
    return value


def refuse_unstorable(tree: Any) -> Any:
    """Check every string in a decoded JSON value (keys too), e.g. fields a model keeps as extras."""
    if isinstance(tree, str):
        storable(tree)
    elif isinstance(tree, Mapping):
        for key, item in tree.items():
            refuse_unstorable(key)
            refuse_unstorable(item)
    elif isinstance(tree, list | tuple):
        for item in tree:
            refuse_unstorable(item)
    return tree


StorableText = Annotated[str, AfterValidator(storable)]

"""Where in a channel message an adapter stopped reading: the field path (`line_items[2].price`) of what it was
reading when it raised, so the exception a person sees says which field, not only `'subtotal'`.

Adapters stay as they are (plain dicts and lists from the platform's JSON): the path is found afterwards from the
traceback. The innermost frame shows the object being read (a mapping missing the key, or one holding the value
that could not be read); an outer frame holds the whole document; the path is where the one sits in the other."""

import re
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any

MAX_DEPTH = 12


def field_path(error: BaseException) -> str | None:
    """`line_items[2].price` for what the adapter was reading when it raised `error`; None when it cannot tell."""
    if (validated := _validated_at(error)) is not None:
        return validated
    frames = list(_frames(error.__traceback__))
    reading, key = _reading(frames, error)
    if reading is None:
        return None
    for frame in frames:  # outermost first: the whole document, where it is held
        for value in frame.values():
            if isinstance(value, Mapping | list) and (found := _path_to(value, reading, "", 0)) is not None:
                return _joined(found, key)
    return _joined("", key)


def _validated_at(error: BaseException) -> str | None:
    """A model that validated the document (pydantic's ValidationError) says where itself: its first error's loc."""
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return None
    try:
        loc = errors()[0]["loc"]
    except (TypeError, LookupError, ValueError):
        return None
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or None


def _frames(tb: TracebackType | None) -> Iterator[dict[str, Any]]:
    while tb is not None:
        yield dict(tb.tb_frame.f_locals)
        tb = tb.tb_next


def _reading(frames: list[dict[str, Any]], error: BaseException) -> tuple[Any, str | None]:
    """(the mapping being read, the key it was read at): for a missing key the innermost mapping without it; for a
    value that could not be read, the innermost mapping holding it (the very object a helper was handed, or the
    text the error quotes)."""
    inward = list(reversed(frames))
    if isinstance(error, KeyError) and error.args:
        for frame in inward:
            for value in frame.values():
                if isinstance(value, Mapping) and error.args[0] not in value:
                    return value, str(error.args[0])
        return None, None
    quoted = set(re.findall(r"'([^']*)'", str(error)))  # invalid literal for int() with base 10: 'abc'
    # The value the error quotes first; else text from the document, which is its own object all the way down
    # (small numbers are shared, so not those), handed to the helper that failed: its first argument first.
    handed = [v for v in inward[0].values() if isinstance(v, str)] if inward else []
    mappings = [value for frame in inward for value in frame.values() if isinstance(value, Mapping)]
    for mapping in mappings:
        if found := next((key for key, held in mapping.items()
                          if isinstance(held, str | int | float) and str(held) in quoted), None):
            return mapping, str(found)
    for text in handed:
        for mapping in mappings:
            if found := next((key for key, held in mapping.items() if held is text), None):
                return mapping, str(found)
    return None, None


def _path_to(node: Any, target: Any, path: str, depth: int) -> str | None:
    if node is target:
        return path
    if depth >= MAX_DEPTH:
        return None
    if isinstance(node, Mapping):
        for key, value in node.items():
            if isinstance(value, Mapping | list):
                found = _path_to(value, target, f"{path}.{key}" if path else str(key), depth + 1)
                if found is not None:
                    return found
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, Mapping | list):
                found = _path_to(value, target, f"{path}[{index}]", depth + 1)
                if found is not None:
                    return found
    return None


def _joined(path: str, key: str | None) -> str | None:
    if key is None:
        return path or None
    return f"{path}.{key}" if path else key

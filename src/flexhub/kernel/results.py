"""What a handler answers: a frozen dataclass (or a pydantic schema) of typed fields, never a bare dict.

`Result` lets a caller also read a field by name, `result["token"]` as `result.token`, so code written when handlers
answered dicts (scripts, the demo, tests) reads the typed answer unchanged. `answer(result)` is the dict a route or a
page turns a result dataclass into: the same keys and values the handler used to return.
"""

from dataclasses import asdict, fields, is_dataclass
from typing import Any


class Result:
    """Mixed into a handler's result dataclass or pydantic model: fields read by attribute, or by name."""

    def __getitem__(self, name: str) -> Any:
        if name not in _field_names(self):
            raise KeyError(name)
        return getattr(self, name)


def _field_names(result: object) -> set[str]:
    if is_dataclass(result):
        return {field.name for field in fields(result)}
    return set(getattr(type(result), "model_fields", ()))


def answer(result: Any) -> dict[str, Any]:
    """A result dataclass as the plain dict its fields make (nested dataclasses too)."""
    if not is_dataclass(result) or isinstance(result, type):
        raise TypeError(f"not a result dataclass: {result!r}")
    return asdict(result)

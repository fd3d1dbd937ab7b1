"""Odoo search domains evaluated in memory: a list in prefix (Polish) notation of `[field, operator, value]`
leaves and the operators '&', '|' and '!', consecutive terms joined by an implicit '&'."""

from collections.abc import Callable
from typing import Any

Record = dict[str, Any]
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b,
    ">": lambda a, b: a is not None and a > b, ">=": lambda a, b: a is not None and a >= b,
    "<": lambda a, b: a is not None and a < b, "<=": lambda a, b: a is not None and a <= b,
    "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
    "ilike": lambda a, b: str(b).lower() in str(a or "").lower(), "like": lambda a, b: str(b) in str(a or ""),
}


class DomainError(ValueError):
    pass


def matches(domain: list[Any], record: Record) -> bool:
    terms = list(domain)
    if not terms:
        return True
    results = []
    while terms:
        results.append(_term(terms, record))
    return all(results)


def _term(terms: list[Any], record: Record) -> bool:
    head = terms.pop(0)
    if head == "&":
        return _term(terms, record) & _term(terms, record)
    if head == "|":
        return _term(terms, record) | _term(terms, record)
    if head == "!":
        return not _term(terms, record)
    if not isinstance(head, list | tuple) or len(head) != 3 or head[1] not in COMPARE:
        raise DomainError(f"Invalid leaf {head!r}")
    field, operator, value = head
    stored = record.get(field)
    if isinstance(stored, list) and operator in ("=", "in") and stored and isinstance(stored[0], int):
        stored = stored[0]  # a many2one read as [id, name]
    return COMPARE[operator](stored, value)

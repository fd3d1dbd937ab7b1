"""On PostgreSQL, a many-row INSERT goes to the server as one COPY.

psycopg sends an executemany as one INSERT per row (pipelined): the server binds and executes
each, and Python pays per row for every message. COPY carries the same rows in one stream — the
same columns and values (already processed by SQLAlchemy's column types), the same defaults,
constraints and errors (SQLAlchemy wraps them as for any statement). Anything but a plain
`INSERT INTO t (columns) VALUES (parameters)` — an ON CONFLICT, a RETURNING, an expression — and
batches too small to gain keep the ordinary path.
"""

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event

# Below this, COPY's extra round trip (start, then data) costs more than the rows save.
MIN_ROWS = 16
_INSERT = re.compile(r"INSERT INTO (\S+) \(([^)]*)\) VALUES \((.*)\)")
_PARAMETER = re.compile(r"%\((\w+)\)s(?:::[A-Z ]+)?")


def copy_many_row_inserts(engine: Engine) -> None:
    event.listen(engine, "do_executemany", _insert_by_copy)


def _insert_by_copy(cursor: Any, statement: str, parameters: Sequence[dict[str, Any]], context: Any) -> bool:
    """Handle an executemany as COPY when it is a plain INSERT of enough rows; False leaves it alone."""
    if len(parameters) < MIN_ROWS:
        return False
    plan = copy_plan(statement)
    if plan is None:
        return False
    command, names = plan
    with cursor.copy(command) as copy:
        for row in parameters:
            copy.write_row([row[name] for name in names])
    return True


@lru_cache(maxsize=512)
def copy_plan(statement: str) -> tuple[str, tuple[str, ...]] | None:
    """The COPY command and the parameter names in column order, or None for any other statement."""
    match = _INSERT.fullmatch(statement)
    if match is None:
        return None
    table, columns, values = match.groups()
    names = []
    for value in values.split(", "):
        parameter = _PARAMETER.fullmatch(value)
        if parameter is None:
            return None
        names.append(parameter.group(1))
    if len(names) != len(columns.split(", ")):
        return None
    return f"COPY {table} ({columns}) FROM STDIN", tuple(names)

"""A database seeded once per test process and put back for each test that asks for it.

A world of several tenants takes seconds to build through the hub's commands (tests/api/test_route_scope.py and
test_partner_views.py build one for each of some sixty tests). `seeded` builds it on the first test's own database,
keeps what was written, and gives each later test the same rows on its own freshly emptied database:

- SQLite: the seeded file, copied over the test's file;
- PostgreSQL: the rows copied into a schema of their own in the worker's database (`seed_<name>`) and copied back
  into the emptied tables, with every sequence set where seeding left it.

The value the seed returned (ids, tokens) is deep-copied for each test, so a test may add to it."""

import copy
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url

from flexhub.testing.database import autocommit, tables_holding_rows

T = TypeVar("T")
_NAME = re.compile(r"^[a-z_]+$")


@dataclass(frozen=True)
class _Kept:
    value: Any
    sqlite_file: Path | None = None
    sequences: tuple[tuple[str, int], ...] = ()


_KEPT: dict[tuple[str, str], _Kept] = {}


def seeded(database_url: str, name: str, seed: Callable[[str], T]) -> T:
    """The empty, migrated `database_url` holding what `seed(database_url)` writes, and its value; `seed` runs once
    per process and backend. `seed` must close whatever it opened on the database before it returns."""
    assert _NAME.match(name), name
    backend = make_url(database_url).get_backend_name()
    kept = _KEPT.get((backend, name))
    if kept is None:
        value = seed(database_url)
        kept = _KEPT[(backend, name)] = _keep(database_url, name, value)
    else:
        _restore(database_url, name, kept)
    return copy.deepcopy(kept.value)


def _keep(database_url: str, name: str, value: Any) -> _Kept:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kept = Path(tempfile.mkdtemp(prefix=f"flexhub-seed-{name}-")) / "seeded.db"
        shutil.copyfile(str(url.database), kept)
        return _Kept(value, sqlite_file=kept)
    schema = f"seed_{name}"
    with autocommit(database_url) as connection:
        tables = tables_holding_rows(connection)
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        connection.execute(text("; ".join(f"CREATE TABLE {schema}.{table} AS TABLE {table}"
                                          for table in tables)))
        sequences = connection.execute(text(
            "SELECT quote_ident(sequencename), last_value FROM pg_sequences"
            " WHERE schemaname = current_schema() AND last_value IS NOT NULL")).all()
    return _Kept(value, sequences=tuple((sequence, last) for sequence, last in sequences))


def _restore(database_url: str, name: str, kept: _Kept) -> None:
    url = make_url(database_url)
    if kept.sqlite_file is not None:
        shutil.copyfile(kept.sqlite_file, str(url.database))
        return
    schema = f"seed_{name}"
    with autocommit(database_url) as connection:
        tables = connection.scalars(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = :schema"), {"schema": schema}).all()
        connection.execute(text("SET session_replication_role = replica"))
        connection.execute(text("; ".join(
            f"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM {schema}.{table}" for table in tables)))
        connection.execute(text("SET session_replication_role = DEFAULT"))
        for sequence, last in kept.sequences:
            connection.execute(text("SELECT setval(CAST(:sequence AS regclass), :last)"),
                               {"sequence": sequence, "last": last})


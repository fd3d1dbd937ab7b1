"""Fixtures every test may use: a migrated database on each backend (SQLite, PostgreSQL) and its engine."""

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from flexhub.db.engine import build_engine
from flexhub.db.migrate import upgrade
from flexhub.testing import database, properties
from flexhub.testing.ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401 (hooks)

# One sealing key for the run, as production configures it off SQLite: every hub and every `flexhub serve` or
# `flexhub worker` a test starts (they inherit the environment) seals and opens credentials alike.
os.environ.setdefault("FLEXHUB_SECRET_KEY", "0Wjb4Vp7dmZxI7M8Vn4aQ2Y1tq7G2zX5gD3kR0uPq8E=")

BACKENDS = ["sqlite", "postgres"]
HYPOTHESIS_PROFILE = properties.load_profile()  # ci under CI=true, nightly when asked: see the module


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test on PostgreSQL `postgres`, also where a test narrows the backends itself."""
    for item in items:
        params = getattr(item, "callspec", None) and item.callspec.params
        if params and "postgres" in (params.get("database_url"), params.get("empty_database_url")):
            item.add_marker(pytest.mark.postgres)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep the collector from walking what collection imported (flexhub, its libraries, every test module) at each
    full collection for the rest of the run: it lives as long as the process anyway."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return database.migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = database.postgres_server_url()
    if not database.is_reachable(url):
        message = f"PostgreSQL is not reachable at {database.printable(url)}"
        if database.running_in_ci():
            pytest.fail(f"{message}, and CI=true: PostgreSQL tests must run in CI", pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_database(postgres_server: str) -> Iterator[str]:
    """One migrated database per worker and session; tests empty it rather than recreate it."""
    with database.scratch_postgres_database(postgres_server, database.worker_database_name(), durable=False) as url:
        upgrade(url)
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of its own for this test."""
    if request.param == "sqlite":
        return database.copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "flexhub.db")
    url = request.getfixturevalue("postgres_database")
    database.empty_all_tables(url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all, for tests of the migrations themselves."""
    if request.param == "sqlite":
        yield database.sqlite_url(tmp_path / "empty.db")
        return
    name = database.worker_database_name("flexhub_empty")
    with database.scratch_postgres_database(request.getfixturevalue("postgres_server"), name, durable=False) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = build_engine(database_url)
    yield engine
    engine.dispose()

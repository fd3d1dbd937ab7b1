"""`flexhub serve` keeps what start-up built out of later garbage collections and collects the young generation
less often: both cost a large share of an API process's CPU under load (docs/benchmarks.md). Its `--workers` are
given time to import before uvicorn's supervisor takes them for hung, and write no access line of uvicorn's beside the
request-id middleware's."""

import gc
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from flexhub.api.one_write import OneWriteProtocol
from flexhub.cli import serve
from flexhub.cli.main import app as cli
from flexhub.cli.serve import YOUNG_GC_THRESHOLDS, served_app
from flexhub.testing.hubs import running_hub


@pytest.fixture
def collector_restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_once_started_the_heap_is_frozen_and_young_collections_are_rarer(database_url: str,
                                                                        collector_restored: None) -> None:
    gc.unfreeze()
    with running_hub(database_url) as hub, TestClient(served_app(hub)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == YOUNG_GC_THRESHOLDS


def test_workers_are_given_two_minutes_to_start_and_answer_in_one_write(monkeypatch, tmp_path) -> None:
    ran: dict[str, Any] = {}
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **options: ran.update(app=app, **options))
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'flexhub.db'}")

    done = CliRunner().invoke(cli, ["serve", "--workers", "2", "--no-jobs"])

    assert done.exit_code == 0, done.output
    assert ran["workers"] == 2 and ran["timeout_worker_healthcheck"] == serve.WORKER_HEALTHCHECK_S == 120
    assert ran["http"] is OneWriteProtocol


@pytest.fixture
def logging_restored() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, propagate = root.handlers[:], root.level, logging.getLogger("uvicorn.access").propagate
    yield
    structlog.reset_defaults()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.access").propagate = propagate


def test_a_workers_process_leaves_uvicorns_access_log_off(monkeypatch, tmp_path, logging_restored) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'flexhub.db'}")
    logging.getLogger("uvicorn.access").propagate = False  # as uvicorn leaves it, access_log=False, before the app

    app = serve.worker_app()  # what a --workers process loads, and configures logging in, after uvicorn did
    try:
        assert logging.getLogger().hasHandlers()
        assert not logging.getLogger("uvicorn.access").hasHandlers()  # what uvicorn asks before each access line
    finally:
        app.state.hub.close()

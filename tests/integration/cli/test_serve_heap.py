"""`flexhub serve` keeps what start-up built out of later garbage collections and collects the young generation
less often: both cost a large share of an API process's CPU under load (docs/benchmarks.md)."""

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

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

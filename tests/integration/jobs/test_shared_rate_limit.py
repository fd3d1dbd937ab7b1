"""A channel's rate limit is held once across processes: two processes reading one sandbox store as fast as the
channel's bucket (kept in the database) lets them get no 429; with a bucket in each process's memory, as before,
the same reads are throttled."""

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from flexhub.kernel.ids import new_id
from flexhub.sandbox.app import create_app
from flexhub.sandbox.market import Market
from flexhub.sandbox.server import served
from flexhub.sandbox.store import Store

READS = 15  # each a call per SKU: 45 calls a process, 90 in all, at JD's 10 calls/s


@pytest.fixture(scope="module")
def market() -> Iterator[Market]:
    market = Market(hub_url="http://127.0.0.1:9")
    with served(create_app(market)) as url:
        market.base_url = url
        yield market
    market.close()


def read_from_two_processes(database_url: str, store: Store, mode: str) -> list[dict]:
    refs = json.dumps([[x.sku, x.item_id, x.location_id] for x in store.listings.values()])
    arguments = [database_url, str(new_id()), "jd", json.dumps(store.credentials), refs, str(READS), mode]
    children = [subprocess.Popen([sys.executable, "-m", "flexhub.testing.paced_reads", *arguments],
                                 stdout=subprocess.PIPE, text=True) for _ in range(2)]
    results = [json.loads(child.communicate(timeout=300)[0].strip().splitlines()[-1]) for child in children]
    assert all(child.returncode == 0 for child in children)
    return results


def test_two_processes_share_the_channel_bucket_and_get_no_429(database_url: str, market: Market) -> None:
    store = market.open_store("jd", "jd-shared", ["TEE-RED-M", "TEE-RED-L", "TEE-BLUE-M"], quantity=5, sells=False)
    results = read_from_two_processes(database_url, store, "shared")
    calls = sum(r["calls"] for r in results)
    assert calls == 2 * READS * 3
    assert store.throttled == 0 and sum(r["rate_limited"] for r in results) == 0
    # Every call through one bucket, paced at 0.9 × 10/s after a burst of 9: from the first process's start to the
    # last one's end takes about 9 s, however the two starts fall (each on its own bucket: about 4 s).
    span = max(r["ended"] for r in results) - min(r["started"] for r in results)
    assert span >= (calls - 9) / 9.0 * 0.9


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_bucket_in_each_process_memory_lets_two_processes_overrun_the_limit(database_url: str,
                                                                              market: Market) -> None:
    store = market.open_store("jd", "jd-apart", ["TEE-RED-M", "TEE-RED-L", "TEE-BLUE-M"], quantity=5, sells=False)
    read_from_two_processes(database_url, store, "process")
    assert store.throttled > 0  # what the shared bucket prevents

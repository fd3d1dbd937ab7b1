"""The combiner: concurrent callers' requests go through `process` in batches, each caller gets its own result."""

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from flexhub.bus.combiner import Combiner
from flexhub.testing import aio


class Recorder:
    """A process function that records each batch; the first batch can be held back until released,
    so that later requests queue up behind it in a known order."""

    def __init__(self, hold_first: bool = False, fail_on: Callable[[list], bool] = lambda batch: False) -> None:
        self.batches: list[list[int]] = []
        self.release = threading.Event()
        self._hold_first = hold_first
        self._fail_on = fail_on

    def __call__(self, requests: Sequence[int]) -> list[int]:
        batch = list(requests)
        self.batches.append(batch)
        if self._hold_first and len(self.batches) == 1:
            self.release.wait(timeout=10)
        if self._fail_on(batch):
            raise ValueError(f"batch {batch} failed")
        return [request * 10 for request in batch]


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=64) as executor:
        yield executor


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def queue_behind_a_held_batch(combiner: Combiner, recorder: Recorder, pool: ThreadPoolExecutor,
                              requests: list[int]) -> list[Future]:
    """Submit 0 (held in `process`), then each request in turn, each queued before the next is sent."""
    futures = [pool.submit(combiner.submit, 0)]
    wait_until(lambda: len(recorder.batches) == 1)
    for n, request in enumerate(requests, start=1):
        futures.append(pool.submit(combiner.submit, request))
        wait_until(lambda n=n: len(combiner._queue) == n)  # queued: the arrival order is now known
    recorder.release.set()
    return futures


def test_each_caller_gets_the_result_of_its_own_request(pool: ThreadPoolExecutor) -> None:
    combiner = Combiner(Recorder(), max_wait_s=0.002)
    try:
        results = list(pool.map(combiner.submit, range(200)))
    finally:
        combiner.close()
    assert results == [n * 10 for n in range(200)]


def test_requests_queued_together_are_processed_in_one_batch_in_arrival_order(pool: ThreadPoolExecutor) -> None:
    recorder = Recorder(hold_first=True)
    combiner = Combiner(recorder, max_wait_s=0.001)
    try:
        futures = queue_behind_a_held_batch(combiner, recorder, pool, [7, 3, 9, 1, 5])
        assert [f.result(timeout=5) for f in futures] == [0, 70, 30, 90, 10, 50]
    finally:
        combiner.close()
    assert recorder.batches == [[0], [7, 3, 9, 1, 5]]
    assert combiner.batches == 2


def test_a_batch_holds_at_most_max_batch_requests(pool: ThreadPoolExecutor) -> None:
    recorder = Recorder(hold_first=True)
    combiner = Combiner(recorder, max_wait_s=0.001, max_batch=4)
    try:
        futures = queue_behind_a_held_batch(combiner, recorder, pool, list(range(1, 11)))
        assert [f.result(timeout=5) for f in futures] == [n * 10 for n in range(11)]
    finally:
        combiner.close()
    assert recorder.batches == [[0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]


def test_a_failure_in_process_reaches_every_caller_of_that_batch_and_only_them(pool: ThreadPoolExecutor) -> None:
    recorder = Recorder(hold_first=True, fail_on=lambda batch: 13 in batch)
    combiner = Combiner(recorder, max_wait_s=0.001)
    try:
        futures = queue_behind_a_held_batch(combiner, recorder, pool, [11, 12, 13, 14])
        assert futures[0].result(timeout=5) == 0
        errors = [f.exception(timeout=5) for f in futures[1:]]
        assert all(isinstance(e, ValueError) for e in errors)
        assert len({id(e) for e in errors}) == 1  # the one failure, told to each caller
        assert combiner.submit(15) == 150  # the worker lives on
    finally:
        combiner.close()


def test_concurrent_submitters_really_share_batches(pool: ThreadPoolExecutor) -> None:
    submitters = 48
    recorder = Recorder()
    start = threading.Barrier(submitters)

    def slow_process(requests: Sequence[int]) -> list[int]:
        time.sleep(0.005)  # a transaction's worth of time, during which more requests arrive
        return recorder(requests)

    def submit(n: int) -> int:
        start.wait()
        return combiner.submit(n)

    combiner = Combiner(slow_process, max_wait_s=0.002)
    try:
        results = list(pool.map(submit, range(submitters)))
    finally:
        combiner.close()
    assert results == [n * 10 for n in range(submitters)]
    sizes = [len(batch) for batch in recorder.batches]
    assert sum(sizes) == submitters
    assert max(sizes) > 1 and len(sizes) < submitters


def test_a_closed_combiner_refuses_new_requests_and_finishes_queued_ones(pool: ThreadPoolExecutor) -> None:
    recorder = Recorder(hold_first=True)
    combiner = Combiner(recorder, max_wait_s=0.001)
    futures = [pool.submit(combiner.submit, 0)]
    wait_until(lambda: len(recorder.batches) == 1)
    futures.append(pool.submit(combiner.submit, 1))
    wait_until(lambda: len(combiner._queue) == 1)
    closing = pool.submit(combiner.close)
    wait_until(lambda: combiner._closed)
    with pytest.raises(RuntimeError, match="closed"):
        combiner.submit(2)
    recorder.release.set()
    closing.result(timeout=5)
    assert [f.result(timeout=5) for f in futures] == [0, 10]


def test_a_process_that_answers_too_few_requests_fails_the_batch_rather_than_the_worker() -> None:
    combiner = Combiner(lambda requests: [], max_wait_s=0.001)
    try:
        with pytest.raises(RuntimeError, match="answered 0 of 1"):
            combiner.submit(1)
        with pytest.raises(RuntimeError, match="answered 0 of 1"):
            combiner.submit(2)  # the worker is still there to answer
    finally:
        combiner.close()


def test_coroutines_share_batches_and_each_gets_its_own_result_without_a_thread_each() -> None:
    recorder = Recorder()
    combiner = Combiner(recorder, max_wait_s=0.005, in_flight=2)

    async def buyers() -> list[int]:
        return await asyncio.gather(*(combiner.submit_async(n) for n in range(200)))

    try:
        threads_before = threading.active_count()
        results = aio.run(buyers())
        assert threading.active_count() == threads_before
    finally:
        combiner.close()
    assert results == [n * 10 for n in range(200)]
    assert sorted(r for batch in recorder.batches for r in batch) == list(range(200))
    assert len(recorder.batches) < 200  # shared


def test_submit_many_keeps_a_callers_requests_in_one_batch_and_answers_each() -> None:
    recorder = Recorder(fail_on=lambda batch: 13 in batch)
    combiner = Combiner(recorder, max_wait_s=0.01, max_batch=3, in_flight=2)
    try:
        answers = combiner.submit_many([1, 2, 3, 4, 5])
        failed = combiner.submit_many([6, 13])
        async_answers = aio.run(combiner.submit_many_async([7, 8, 9, 10]))
    finally:
        combiner.close()
    assert answers == [10, 20, 30, 40, 50]
    assert all(isinstance(a, ValueError) for a in failed)
    assert async_answers == [70, 80, 90, 100]
    assert [1, 2, 3, 4, 5] in recorder.batches and [7, 8, 9, 10] in recorder.batches  # not split, in order


def test_while_a_batch_is_in_flight_a_second_starts_only_once_min_second_requests_wait(
        pool: ThreadPoolExecutor) -> None:
    recorder = Recorder(hold_first=True)
    combiner = Combiner(recorder, max_wait_s=0.001, in_flight=2, min_second=4)
    try:
        futures = [pool.submit(combiner.submit, 0)]
        wait_until(lambda: len(recorder.batches) == 1)
        futures += [pool.submit(combiner.submit, n) for n in (1, 2, 3)]
        wait_until(lambda: len(combiner._queue) == 3)
        time.sleep(0.05)  # time enough for the idle worker to start on them, were it let
        assert recorder.batches == [[0]]
        futures.append(pool.submit(combiner.submit, 4))
        wait_until(lambda: len(recorder.batches) == 2)  # the first batch still held
        assert sorted(recorder.batches[1]) == [1, 2, 3, 4]
        futures += [pool.submit(combiner.submit, n) for n in (5, 6)]
        wait_until(lambda: len(combiner._queue) == 2)
        recorder.release.set()  # both batches land: what waits goes at once, however few
        assert [f.result(timeout=5) for f in futures] == [0, 10, 20, 30, 40, 50, 60]
    finally:
        combiner.close()
    assert sorted(recorder.batches[2]) == [5, 6]


def test_a_burst_too_small_to_share_between_idle_workers_goes_in_one_batch() -> None:
    recorder = Recorder()
    combiner = Combiner(recorder, max_wait_s=0.05, in_flight=2, min_second=8)  # two idle, halves of 5: too small

    async def burst() -> list[int]:
        return await asyncio.gather(*(combiner.submit_async(n) for n in range(10)))

    try:
        assert aio.run(burst()) == [n * 10 for n in range(10)]
    finally:
        combiner.close()
    assert recorder.batches == [list(range(10))]

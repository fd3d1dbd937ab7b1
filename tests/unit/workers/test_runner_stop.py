"""Stopping the jobs is bounded: however many runs are under way, `stop` returns within its drain."""

import threading
import time

from flexhub.workers.runner import Job, Workers


def test_stop_waits_for_runs_under_way_but_no_longer_than_its_drain():
    release, finished = threading.Event(), []

    def stuck() -> None:  # a run that does not end of itself (a platform that never answers)
        release.wait(30)

    def quick() -> None:
        finished.append(time.monotonic())

    workers = Workers([Job(f"stuck-{n}", stuck, 0.01) for n in range(4)] + [Job("quick", quick, 0.01)])
    workers.start()
    time.sleep(0.2)
    started = time.monotonic()
    workers.stop(timeout_s=0.5)
    took = time.monotonic() - started
    release.set()
    assert took < 1.5  # four stuck runs: up to 10 s a run before (40 s), one drain for all now
    assert finished  # the quick job ran until asked to stop
    count = len(finished)
    time.sleep(0.1)
    assert len(finished) == count  # and runs no more

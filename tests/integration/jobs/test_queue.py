"""The job queue on SQLite and PostgreSQL: claimed once, leased, taken over when a lease runs out, retried with the
back-off, parked as a dead letter after the last attempt, retried or deleted from there."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from flexhub.db import jobs
from flexhub.db.jobs import queue
from flexhub.db.jobs.runner import Policy, Retry, run_due
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel.ids import new_id
from flexhub.testing.clocks import MovableClock, movable_clock

KIND = "test.echo"


@pytest.fixture
def moving() -> Iterator[MovableClock]:
    with movable_clock() as moving:
        yield moving


def uow_of(engine: Engine):
    return lambda write=True: UnitOfWork(engine, write=write)


def add(engine: Engine, *new: jobs.NewJob) -> None:
    with UnitOfWork(engine) as uow:
        jobs.enqueue(uow.connection, list(new))
        uow.commit()


def claim(engine: Engine, owner: str, *, lease_s: float = 30.0, limit: int = 10) -> list[jobs.Claimed]:
    with UnitOfWork(engine) as uow:
        claimed = jobs.claim(uow.connection, [KIND], owner, lease_s=lease_s, limit=limit)
        uow.commit()
    return claimed


def rows(engine: Engine) -> list:
    with UnitOfWork(engine, write=False) as uow:
        return list(uow.connection.execute(select(jobs.QueuedJob).order_by(jobs.QueuedJob.created_at)))


def test_a_keyed_job_exists_once_and_each_due_job_is_claimed_by_one_owner(engine: Engine, moving) -> None:
    add(engine, *[jobs.NewJob(KIND, {"n": n}, key=f"k{n}") for n in range(40)])
    add(engine, jobs.NewJob(KIND, {"n": 0}, key="k0"))  # there already: not added again
    assert len(rows(engine)) == 40

    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda owner: claim(engine, owner, limit=7), [f"w{i}" for i in range(8)]))
    claimed = [job.payload["n"] for batch in batches for job in batch]
    assert sorted(claimed) == list(range(40))  # every job once, none twice
    assert claim(engine, "late") == []
    assert {r.state for r in rows(engine)} == {"running"} and all(r.attempts == 1 for r in rows(engine))


def test_a_job_not_due_yet_waits_and_a_finished_one_is_gone(engine: Engine, moving: MovableClock) -> None:
    add(engine, jobs.NewJob(KIND, {}, run_after=moving.at + timedelta(seconds=30)))
    assert claim(engine, "w") == []
    moving.advance(seconds=31)
    (job,) = claim(engine, "w")
    with UnitOfWork(engine) as uow:
        assert jobs.finish(uow.connection, job)
        uow.commit()
    assert rows(engine) == []


def test_a_lease_that_runs_out_lets_another_worker_take_the_job_over(engine: Engine, moving: MovableClock) -> None:
    add(engine, jobs.NewJob(KIND, {"n": 1}))
    (first,) = claim(engine, "dead-worker", lease_s=10)
    moving.advance(seconds=5)
    assert claim(engine, "other") == []  # still leased
    moving.advance(seconds=6)
    (taken,) = claim(engine, "other")
    assert taken.id == first.id and taken.attempts == 2

    with UnitOfWork(engine) as uow:  # the first owner, back from the dead, changes nothing
        assert not jobs.finish(uow.connection, first)
        assert queue.fail(uow.connection, first, "late", max_attempts=5, first_s=1, cap_s=10) is None
        uow.commit()
    (row,) = rows(engine)
    assert (row.state, row.lease_owner, row.last_error) == ("running", "other", None)


def test_a_job_asked_for_again_while_running_runs_once_more(engine: Engine, moving) -> None:
    add(engine, jobs.NewJob(KIND, {"v": 1}, key="listing-1"))
    (job,) = claim(engine, "w")
    add(engine, jobs.NewJob(KIND, {"v": 2}, key="listing-1"))
    with UnitOfWork(engine) as uow:
        assert jobs.finish(uow.connection, job)
        uow.commit()
    (row,) = rows(engine)
    assert (row.state, row.attempts) == ("pending", 0)


def test_failures_back_off_then_park_then_a_person_retries_or_deletes(engine: Engine, moving: MovableClock) -> None:
    tenant = new_id()
    add(engine, jobs.NewJob(KIND, {"n": 1}, tenant_id=tenant))
    attempts = []

    def failing(job: jobs.Claimed) -> None:
        attempts.append(job.attempts)
        raise Retry("HTTP 503")

    policy = Policy(max_attempts=3, first_s=4.0, cap_s=60.0)
    assert run_due(uow_of(engine), KIND, failing, owner="w", policy=policy) == 0
    (row,) = rows(engine)
    assert row.state == "pending" and 2 <= (row.run_after - moving.at).total_seconds() <= 4
    assert run_due(uow_of(engine), KIND, failing, owner="w", policy=policy) == 0  # not due yet
    for _ in range(2):
        moving.advance(minutes=2)
        run_due(uow_of(engine), KIND, failing, owner="w", policy=policy)
    (row,) = rows(engine)
    assert (row.state, row.attempts, row.last_error, attempts) == ("dead", 3, "HTTP 503", [1, 2, 3])
    moving.advance(hours=1)
    assert run_due(uow_of(engine), KIND, failing, owner="w", policy=policy) == 0 and len(attempts) == 3

    with UnitOfWork(engine) as uow, pytest.raises(jobs.JobNotFound):
        jobs.retry(uow.connection, row.id, tenant_id=new_id())  # another tenant's: not found
    with UnitOfWork(engine) as uow:
        jobs.retry(uow.connection, row.id, tenant_id=tenant)
        uow.commit()
    assert run_due(uow_of(engine), KIND, lambda job: None, owner="w", policy=policy) == 1
    assert rows(engine) == []


def test_only_a_dead_job_may_be_deleted(engine: Engine, moving) -> None:
    add(engine, jobs.NewJob(KIND, {}))
    (row,) = rows(engine)
    with UnitOfWork(engine) as uow, pytest.raises(jobs.JobNotDead):
        queue.delete_dead(uow.connection, row.id, tenant_id=None)
    (job,) = claim(engine, "w")
    with UnitOfWork(engine) as uow:
        queue.fail(uow.connection, job, "no such SKU", max_attempts=5, first_s=1, cap_s=10, give_up=True)
        queue.delete_dead(uow.connection, row.id, tenant_id=None)
        uow.commit()
    assert rows(engine) == []

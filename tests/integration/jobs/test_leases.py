"""Leases of singleton schedules: one owner at a time, renewed by it, taken over once it runs out or is given up."""

from sqlalchemy import Engine

from flexhub.db.jobs import leases
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.testing.clocks import movable_clock


def take(engine: Engine, owner: str, name: str = "outbox-relay") -> bool:
    with UnitOfWork(engine) as uow:
        held = leases.take(uow.connection, name, owner, ttl_s=15)
        uow.commit()
    return held


def test_one_owner_at_a_time_until_its_lease_runs_out(engine: Engine) -> None:
    with movable_clock() as moving:
        assert take(engine, "a") and not take(engine, "b")
        moving.advance(seconds=10)
        assert take(engine, "a")  # renewed: good for 15 s from now
        moving.advance(seconds=10)
        assert not take(engine, "b")
        assert take(engine, "b", "channel-poll")  # another schedule is another lease
        moving.advance(seconds=6)
        assert take(engine, "b") and not take(engine, "a")


def test_a_lease_given_up_is_taken_at_once(engine: Engine) -> None:
    assert take(engine, "a")
    with UnitOfWork(engine) as uow:
        leases.give_up(uow.connection, "a")
        uow.commit()
    assert take(engine, "b")

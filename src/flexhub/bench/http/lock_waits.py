"""How much of a run the database's backends spent waiting on locks: pg_stat_activity sampled every 20 ms from a
connection of its own while flexhub is loaded. On one hot SKU that is the stock row's lock, which every batch's
guarded update takes just before COMMIT; the figure says whether writers queue on it (`lock_waiting`: backends
waiting on a lock, on average, beside `active`: backends running a statement). None on SQLite. `commits` counts the
database's committed transactions (pg_stat_database), so that a run can say how many orders a transaction carried:
each API process's writer batches only what that process was sent."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, text

EVERY_S = 0.02
SAMPLE = text(
    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FILTER (WHERE state = 'active') "
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")


COMMITS = text("SELECT pg_stat_clear_snapshot(), (SELECT xact_commit FROM pg_stat_database "
               "WHERE datname = current_database())")


def commits(engine: Engine) -> int | None:
    """Transactions committed in the engine's database so far (as far as its backends have reported: one that has
    ended has); None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return int(connection.execute(COMMITS).one()[1])


@contextmanager
def lock_waits(engine: Engine) -> Iterator[dict[str, Any]]:
    """Yields the figures' dict, filled in when the block ends."""
    figures: dict[str, Any] = {"lock_waiting": None, "active": None}
    if engine.dialect.name != "postgresql":
        yield figures
        return
    samples: list[tuple[int, int]] = []
    stop = threading.Event()

    def sample() -> None:
        with engine.connect() as connection:
            while not stop.wait(EVERY_S):
                waiting, active = connection.execute(SAMPLE).one()
                samples.append((waiting, active))
                connection.rollback()  # each sample sees the backends as they are now

    sampler = threading.Thread(target=sample, name="lock-waits", daemon=True)
    sampler.start()
    try:
        yield figures
    finally:
        stop.set()
        sampler.join()
        if samples:
            figures["lock_waiting"] = round(sum(w for w, _ in samples) / len(samples), 2)
            figures["active"] = round(sum(a for _, a in samples) / len(samples), 2)

"""SQLite connections are set up for concurrent use: WAL, foreign keys, a busy timeout, writers BEGIN IMMEDIATE."""

import sqlite3
import threading

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url

from flexhub.db.unit_of_work import UnitOfWork

sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def record_statements(engine: Engine) -> list[str]:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def write_lock_is_free(database_url: str) -> bool:
    """Whether another connection could start writing right now, without waiting."""
    other = sqlite3.connect(make_url(database_url).database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


@sqlite_only
def test_connections_use_wal_foreign_keys_and_a_busy_timeout(engine: Engine) -> None:
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") >= 1000


@sqlite_only
def test_a_write_unit_of_work_takes_the_write_lock_as_it_begins(engine: Engine, database_url: str) -> None:
    statements = record_statements(engine)

    with UnitOfWork(engine, write=True):
        assert statements == ["BEGIN IMMEDIATE"]
        assert not write_lock_is_free(database_url)

    assert write_lock_is_free(database_url)


@sqlite_only
def test_a_read_unit_of_work_leaves_the_write_lock_free(engine: Engine, database_url: str) -> None:
    statements = record_statements(engine)

    with UnitOfWork(engine, write=False):
        assert statements == ["BEGIN"]
        assert write_lock_is_free(database_url)


@sqlite_only
def test_a_second_writer_of_the_process_queues_before_asking_sqlite(engine: Engine, database_url: str) -> None:
    """Writers of one process wait their turn in the process, not in SQLite's busy handler (a waiter there sleeps up
    to 100 ms between tries and loses to every newcomer: one writer waited 18 s on a busy day). The second writer
    asks SQLite only once the first is done, and then at once; a rolled-back writer lets the next go too."""
    statements = record_statements(engine)
    second_began = threading.Event()

    def second() -> None:
        with UnitOfWork(engine, write=True) as uow:
            second_began.set()
            uow.commit()

    with UnitOfWork(engine, write=True):
        waiting = threading.Thread(target=second)
        waiting.start()
        assert not second_began.wait(0.3)
        assert statements == ["BEGIN IMMEDIATE"]  # the second has not asked SQLite: it waits in the process
    # leaving the block rolled the first back: the second goes
    assert second_began.wait(5)
    waiting.join(5)
    assert statements == ["BEGIN IMMEDIATE", "BEGIN IMMEDIATE"]
    assert write_lock_is_free(database_url)

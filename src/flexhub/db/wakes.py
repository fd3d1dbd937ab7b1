"""Waking a job in another process at once: a transaction announces what it wrote on a named channel, and the
process running the job listens there and sets the job's wake-up event. PostgreSQL delivers a NOTIFY when its
transaction commits, and only then (a rolled-back keep wakes no one); identical ones in a transaction are one. On
SQLite nothing is announced: its writers share one process's events, and a job in another process polls."""

import threading
from collections.abc import Mapping

import psycopg
import structlog
from psycopg import sql
from sqlalchemy import Connection, Engine, text

log = structlog.get_logger(__name__)
LISTEN_TURN_S = 0.5  # how often the listener looks up from its connection to see whether it should stop
RETRY_S = 1.0  # after the connection failed, before connecting again


def announce(connection: Connection, channel: str) -> None:
    """Wake whoever listens on `channel` once this connection's transaction commits (PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class Listener:
    """One connection of its own, listening on the channels of the jobs this process runs, outside the pool (it is
    held as long as the process runs). On every (re)connection each job is woken once: what was announced while no
    one listened is not lost, it waits in the table the job reads."""

    def __init__(self, engine: Engine) -> None:
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    def listen(self, wakes: Mapping[str, threading.Event], stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    for channel in wakes:
                        connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    for wake in wakes.values():
                        wake.set()
                    while not stop.is_set():
                        for notice in connection.notifies(timeout=LISTEN_TURN_S):
                            if (woken := wakes.get(notice.channel)) is not None:
                                woken.set()
            except psycopg.Error:
                log.warning("listening for wake-ups failed; connecting again", exc_info=True)
                stop.wait(RETRY_S)


def listener(engine: Engine) -> Listener | None:
    """The listener for a database that announces (PostgreSQL); None on SQLite."""
    return Listener(engine) if engine.dialect.name == "postgresql" else None

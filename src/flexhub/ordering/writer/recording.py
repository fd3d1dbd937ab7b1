"""A batch written as the writer writes it, with every statement it sent and every id it made recorded: what
`bench hot-sku --pgbench` replays with pgbench on flexhub's own schema, so the database's part is measured alone."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.writer.postgres import id_source, write_batch


@dataclass(frozen=True)
class Sent:
    statement: str  # the writer's text, with psycopg's placeholders (%s, %(name)s); "COMMIT" for the commit
    params: Any  # as handed to psycopg: a sequence, a mapping, or None
    pipelined: bool  # sent in the take's pipeline, not waited for on its own


@dataclass(frozen=True)
class Recorded:
    sent: list[Sent]
    made: list[uuid.UUID]  # the ids the batch made (orders, lines, reservations, ledger, audit, events), in order


def record_batch(connection: psycopg.Connection, commands: Sequence[ImportOrder]) -> Recorded:
    """Write `commands` as one batch on `connection` (committed), recording what was sent."""
    recording = _Recording(connection)
    made: list[uuid.UUID] = []
    next_id = id_source()

    def recorded_id() -> uuid.UUID:
        made.append(new := next_id())
        return new

    write_batch(recording, commands, next_id=recorded_id)
    return Recorded(recording.sent, made)


class _Recording:
    def __init__(self, connection: psycopg.Connection) -> None:
        self._connection = connection
        self._pipelined = False
        self.sent: list[Sent] = []

    def execute(self, statement: str, params: Any = None, **options: Any) -> Any:
        self.sent.append(Sent(statement, params, self._pipelined))
        return self._connection.execute(statement, params, **options)

    def cursor(self) -> "_RecordingCursor":
        return _RecordingCursor(self, self._connection.cursor())

    def pipeline(self) -> "_Pipeline":
        return _Pipeline(self, self._connection.pipeline())

    def commit(self) -> None:
        self.sent.append(Sent("COMMIT", None, self._pipelined))
        self._connection.commit()


class _RecordingCursor:
    def __init__(self, recording: _Recording, cursor: psycopg.Cursor[Any]) -> None:
        self._recording = recording
        self._cursor = cursor

    def execute(self, statement: str, params: Any = None, **options: Any) -> "_RecordingCursor":
        self._recording.sent.append(Sent(statement, params, self._recording._pipelined))
        self._cursor.execute(statement, params, **options)
        return self

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


class _Pipeline:
    def __init__(self, recording: _Recording, pipeline: Any) -> None:
        self._recording = recording
        self._pipeline = pipeline

    def __enter__(self) -> "_Pipeline":
        self._pipeline.__enter__()
        self._recording._pipelined = True
        return self

    def __exit__(self, *exc: Any) -> Any:
        self._recording._pipelined = False
        return self._pipeline.__exit__(*exc)

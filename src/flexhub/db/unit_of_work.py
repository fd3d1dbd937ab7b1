"""A unit of work: one connection, one transaction, one session; events go to the outbox on commit."""

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from flexhub.db import outbox
from flexhub.db.engine import WRITE_OPTION
from flexhub.kernel.messages import Event


class UnitOfWork:
    def __init__(
        self, engine: Engine, *, write: bool = True, on_commit: Callable[[list[Event]], None] | None = None
    ) -> None:
        self._engine = engine
        self._write = write
        self._on_commit = on_commit
        self.events: list[Event] = []

    def __enter__(self) -> Self:
        self.connection: Connection = self._engine.connect()
        self.connection.execution_options(**{WRITE_OPTION: self._write})
        self._transaction = self.connection.begin()
        self.session = Session(bind=self.connection, autoflush=False, expire_on_commit=False)
        self.events = []
        return self

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def record(self, *events: Event) -> None:
        self.events.extend(events)

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> list[Event]:
        """Write the recorded events to the outbox in this same transaction, then commit."""
        self.session.flush()
        outbox.append(self.connection, self.events)
        self._transaction.commit()
        committed, self.events = self.events, []
        if committed and self._on_commit:
            self._on_commit(committed)
        return committed

    def rollback(self) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()
        self.events = []

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()
        self.session.close()
        self.connection.close()


UnitOfWorkFactory = Callable[..., UnitOfWork]

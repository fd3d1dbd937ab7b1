"""The message bus: one handler per command, retried on database contention with bounded back-off."""

from collections.abc import Callable
from typing import Any

import stamina
from sqlalchemy.exc import DBAPIError, IntegrityError

from flexhub.kernel.errors import Conflict

Handler = Callable[[Any], Any]

# PostgreSQL: serialization failure, deadlock, lock not available.
CONTENTION_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_contention(error: Exception) -> bool:
    if not isinstance(error, DBAPIError) or isinstance(error, IntegrityError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in CONTENTION_SQLSTATES or "database is locked" in str(error.orig)


def is_dropped_connection(error: Exception) -> bool:
    """The server connection went away (pg_terminate_backend, a restart, a network cut): the work may be tried
    again on a new connection where it is idempotent (order imports by (channel, external id); reads)."""
    if not isinstance(error, DBAPIError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    # 57P01 admin_shutdown (a terminated backend), 57P02/57P03 crash or not yet up, class 08 connection errors.
    return bool(error.connection_invalidated or sqlstate.startswith("08") or sqlstate in {"57P01", "57P02", "57P03"}
                or getattr(getattr(error.orig, "pgconn", None), "status", 0) == 1)  # psycopg: libpq CONNECTION_BAD


class MessageBus:
    def __init__(self, handlers: dict[type, Handler]) -> None:
        self._handlers = handlers

    def handle(self, command: Any) -> Any:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise LookupError(f"no handler for {type(command).__name__}")
        try:
            for attempt in stamina.retry_context(on=is_contention, attempts=5, wait_initial=0.01, wait_max=0.5):
                with attempt:
                    return handler(command)
        except IntegrityError as error:
            # A concurrent writer created the same thing first (a unique code, a duplicate row).
            raise Conflict("this conflicts with data written concurrently; try again",
                           detail=str(error.orig)[:200]) from error
        raise AssertionError("unreachable")

"""A token bucket kept in the database, so a platform's rate limit is held once however many processes call it.

Taking is one atomic statement: refill by the time since the last take (by the database's clock, the one all
processes share) and take, only where the bucket holds enough — `UPDATE … RETURNING` under PostgreSQL's row
lock, a `BEGIN IMMEDIATE` transaction on SQLite. The bucket's row is made on first use, full. A caller that will
make many calls takes what it may need at once (`take_up_to`) and gives back what it did not spend: one write for
a turn's calls instead of one each (on SQLite each write waits for the database's one write lock).
"""

import math
import threading
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, bindparam, func, literal_column, select, update

from flexhub.db.engine import WRITE_OPTION
from flexhub.db.jobs.model import RateBucket
from flexhub.db.portable import insert_missing


class SharedBucket:
    """The same face as the in-process TokenBucket (`rate`, `capacity`, `take`, `spent`), held in the database."""

    def __init__(self, engine: Engine, key: str, *, per_second: float, burst: float) -> None:
        self._engine = engine
        self.key = key
        self.rate = per_second
        self.capacity = float(burst)
        self._made = False
        self._lock = threading.Lock()
        self.takes = 0  # statements run, for the benchmark of what sharing costs

    def take(self, tokens: int = 1) -> bool:
        """Take `tokens` if the bucket holds them; never blocks on the bucket (only on the row, briefly)."""
        kept = RateBucket.tokens + (_now(self._engine) - RateBucket.at) * self.rate
        refilled: ColumnElement[float] = (func.least(self.capacity, kept) if self._engine.dialect.name == "postgresql"
                                          else func.min(self.capacity, kept))
        statement = (update(RateBucket).where(RateBucket.key == self.key, refilled >= bindparam("wanted"))
                     .values(tokens=refilled - bindparam("wanted"), at=_now(self._engine))
                     .returning(RateBucket.tokens))
        self._make()
        with self._write() as connection:
            taken = connection.execute(statement, {"wanted": float(tokens)}).first()
            connection.commit()
        self.takes += 1
        return taken is not None

    def take_up_to(self, tokens: int) -> int:
        """Take as many whole tokens as the bucket holds, at most `tokens`, in one transaction (the row locked while
        it is read and written); how many were taken. An empty bucket is seen by a read, without the write lock."""
        if tokens < 1 or self.tokens() < 1:
            return 0
        self._make()
        row = select(RateBucket.tokens + (_now(self._engine) - RateBucket.at) * self.rate, _now(self._engine)).where(
            RateBucket.key == self.key)
        with self._write() as connection:
            held, now = connection.execute(
                row.with_for_update() if self._engine.dialect.name == "postgresql" else row).one()
            granted = max(0, min(tokens, math.floor(min(self.capacity, held))))
            if granted:
                connection.execute(update(RateBucket).where(RateBucket.key == self.key).values(
                    tokens=min(self.capacity, held) - granted, at=now))
            connection.commit()
        self.takes += 1
        return granted

    def give_back(self, tokens: int) -> None:
        """Tokens taken and not spent go back (never beyond the bucket's capacity)."""
        if tokens <= 0:
            return
        refilled = RateBucket.tokens + bindparam("back")
        capped: ColumnElement[float] = (func.least(self.capacity, refilled) if self._engine.dialect.name == "postgresql"
                                        else func.min(self.capacity, refilled))
        with self._write() as connection:
            connection.execute(update(RateBucket).where(RateBucket.key == self.key).values(tokens=capped),
                               {"back": float(tokens)})
            connection.commit()
        self.takes += 1

    def spent(self) -> float:
        """The share of the bucket in use: 0 when full, 1 when empty."""
        return round(1 - self.tokens() / self.capacity, 3)

    def tokens(self) -> float:
        """What the bucket holds now (full when it was never taken from)."""
        with self._engine.connect() as connection:
            row = connection.execute(select(RateBucket.tokens, _now(self._engine) - RateBucket.at)
                                     .where(RateBucket.key == self.key)).first()
        return self.capacity if row is None else min(self.capacity, row[0] + row[1] * self.rate)

    def _write(self) -> Connection:
        connection = self._engine.connect()
        connection.execution_options(**{WRITE_OPTION: True})
        connection.begin()
        if self._engine.dialect.name == "postgresql":
            # A take lost in a crash only gives a few tokens back: not worth waiting for the disk (≈9 ms → ≈1 ms).
            connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
        return connection

    def _make(self) -> None:
        with self._lock:
            if self._made:
                return
            with self._write() as connection:
                now = connection.execute(select(_now(self._engine))).scalar_one()
                insert_missing(connection, RateBucket.__table__,
                               [{"key": self.key, "tokens": self.capacity, "at": now}], ["key"])
                connection.commit()
            self._made = True


def _now(engine: Engine) -> Any:
    """Seconds since the epoch by the database's clock (to the microsecond on PostgreSQL, the millisecond on
    SQLite)."""
    if engine.dialect.name == "postgresql":
        return literal_column("extract(epoch from clock_timestamp())::float8")
    return literal_column("((julianday('now') - 2440587.5) * 86400.0)")

"""The one clock: timezone-aware UTC. Tests may freeze it through `set_clock`."""

from collections.abc import Callable
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    return _now()


def set_clock(func: Callable[[], datetime]) -> None:
    global _now
    _now = func


def as_utc(value: datetime) -> datetime:
    """Naive datetimes (SQLite hands them back so) are taken as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

"""Time zones by their IANA names (Asia/Shanghai): which names are zones, a day's first instant in one, and an
instant as a clock there reads it. Kept instants stay UTC; a zone only changes how a person sees or names them."""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_zone(name: str) -> bool:
    return name in known_zones()


@cache
def zone(name: str) -> ZoneInfo:
    """The zone of a name `is_zone` accepts (ZoneInfoNotFoundError for any other)."""
    if not is_zone(name):
        raise ZoneInfoNotFoundError(name)
    return ZoneInfo(name)


def day_start(day: date, where: ZoneInfo) -> datetime:
    """Midnight of `day` on a clock in `where`, as UTC: 2026-12-05 in Asia/Shanghai starts 2026-12-04 16:00 UTC."""
    return datetime.combine(day, time.min, tzinfo=where).astimezone(UTC)


def day_span(first: date | None, last: date | None, where: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    """From the start of `first` up to (not including) the start of the day after `last`, both in `where`."""
    return (day_start(first, where) if first else None,
            day_start(last + timedelta(days=1), where) if last else None)


def local(value: datetime, where: ZoneInfo) -> datetime:
    """The instant as a clock in `where` reads it (naive values are UTC, as SQLite hands them back)."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(where)

"""Beijing time as Chinese platforms and carriers spell it on the wire: "yyyy-MM-dd HH:mm:ss", UTC+8.

Taobao/Tmall's TOP, JD's open platform and the Chinese carriers all sign and answer with it.
"""

from datetime import UTC, datetime, timedelta, timezone

# Asia/Shanghai has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tzdata.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def beijing_text(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime(TIME_FORMAT)


def beijing_moment(text: str) -> datetime:
    """A "yyyy-MM-dd HH:mm:ss" Beijing time as an aware UTC datetime (ValueError when it is not one)."""
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=SHANGHAI).astimezone(UTC)


def beijing_time(text: str | None) -> datetime | None:
    """A Beijing time that may be absent (None or empty: None)."""
    return beijing_moment(text) if text else None

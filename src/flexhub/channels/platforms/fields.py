"""Field readings shared by the Chinese platforms that send integer fen and unix seconds (Douyin, Kuaishou, WeChat)."""

from datetime import UTC, datetime
from typing import Any


def present(value: Any) -> str | None:
    """A platform id as text, or None for the empty string and the 0 these platforms send for 'none'."""
    return None if value in (None, "", 0, "0") else str(value)


def fen(value: Any) -> int:
    """Amounts sent as integer fen (分), already minor units of CNY; a float means a misread field."""
    if isinstance(value, float):
        raise ValueError(f"amounts are integer fen, not {value!r}")
    return int(value or 0)


def utc_seconds(seconds: Any) -> datetime | None:
    return datetime.fromtimestamp(int(seconds), UTC) if seconds else None

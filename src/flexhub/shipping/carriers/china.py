"""What Chinese carriers' answers share: times in Beijing, spelled as text or as epoch milliseconds."""

from datetime import UTC, datetime
from typing import Any

from flexhub.integrations.beijing import beijing_moment


def china_time(value: Any) -> datetime:
    """An aware UTC time from epoch milliseconds or a Beijing "yyyy-MM-dd HH:mm:ss"."""
    if isinstance(value, int | float) or str(value).isdigit():
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    return beijing_moment(str(value))

"""Rows become frames of fixed schemas: ids as text, times as naive UTC."""

import uuid
from datetime import datetime, timedelta, timezone

from flexhub.analytics.queries import SCHEMAS, frame


def test_ids_become_text_and_times_naive_utc() -> None:
    order_id = uuid.uuid4()
    received = datetime(2025, 6, 18, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    made = frame([(order_id, "web", "generic", "reserved", received, received)], SCHEMAS["orders"])
    assert made.row(0)[0] == str(order_id)
    assert made.row(0)[4] == datetime(2025, 6, 18, 12, 0)

"""Order figures for the dashboard: flow per channel per minute, and where orders stand."""

import uuid
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from flexhub.channels.model import Channel
from flexhub.kernel import clock
from flexhub.ordering.model import Order


def orders_per_minute(connection: Connection, tenant_id: uuid.UUID, minutes: int = 30) -> dict[str, Any]:
    """Orders received per channel in each of the last `minutes` minutes (oldest first)."""
    now = clock.now().replace(second=0, microsecond=0)
    start = now - timedelta(minutes=minutes - 1)
    rows = connection.execute(
        select(Channel.code, Order.created_at)
        .join(Channel, Channel.id == Order.channel_id)
        .where(Order.tenant_id == tenant_id, Order.created_at >= start)
    ).all()
    labels = [(start + timedelta(minutes=i)).strftime("%H:%M") for i in range(minutes)]
    series: dict[str, list[int]] = defaultdict(lambda: [0] * minutes)
    for code, created_at in rows:
        index = int((clock.as_utc(created_at) - start).total_seconds() // 60)
        if 0 <= index < minutes:
            series[code][index] += 1
    return {"minutes": labels, "series": dict(sorted(series.items()))}


def status_counts(connection: Connection, tenant_id: uuid.UUID) -> dict[str, int]:
    query = select(Order.status, func.count()).where(Order.tenant_id == tenant_id).group_by(Order.status)
    return {status: count for status, count in connection.execute(query)}

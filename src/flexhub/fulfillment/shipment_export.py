"""A parcel as one row of an export: its order, node, carrier and waybill, state, and times on the tenant's clock."""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flexhub.lists import Column, clock_time, text


def shipment_columns(where: ZoneInfo) -> Sequence[Column]:
    return (("shipment id", text("id")), ("order number", text("order_number")), ("node", text("node")),
            ("state", text("state")), ("carrier", text("carrier")), ("waybill number", text("waybill_number")),
            ("tracking", text("tracking_state")), (f"created ({where.key})", clock_time("created_at", where)),
            (f"shipped ({where.key})", clock_time("shipped_at", where)),
            (f"delivered ({where.key})", clock_time("delivered_at", where)))

"""An RMA as one row of an export: its order, where it came from, why, its state and node, and its times on the
tenant's clock."""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flexhub.lists import Column, clock_time, text


def return_columns(where: ZoneInfo) -> Sequence[Column]:
    return (("return id", text("id")), ("order number", text("order_number")), ("source", text("source")),
            ("channel's number", text("external_id")), ("reason", text("reason")), ("state", text("state")),
            ("node", text("node")), (f"opened ({where.key})", clock_time("created_at", where)),
            (f"received ({where.key})", clock_time("received_at", where)),
            (f"inspected ({where.key})", clock_time("inspected_at", where)))

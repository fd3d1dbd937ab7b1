"""An order as one row of an export: the columns a spreadsheet of orders needs, money in major units, the time
received on a clock in the tenant's zone (named in the column's heading)."""

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flexhub.kernel.money import minor_digits
from flexhub.kernel.zones import local

COLUMNS = ("order id", "channel", "order number", "status", "buyer", "phone", "SKUs", "nodes", "total",
           "currency", "live room")


def export_header(where: ZoneInfo) -> tuple[str, ...]:
    return (*COLUMNS, f"received ({where.key})")


def export_row(order: Mapping[str, Any], where: ZoneInfo) -> tuple[str | int | float | None, ...]:
    buyer = order.get("buyer") or {}
    skus = "; ".join(f"{line['sku']} x{line['quantity']}" for line in order["skus"])
    total = order["total"] / 10 ** minor_digits(order["currency"])
    return (order["id"], order["channel"], order["external_id"], order["status"], buyer.get("name"),
            buyer.get("phone"), skus, ", ".join(order["nodes"]), total, order["currency"], order["live_room"],
            local(order["created_at"], where).replace(microsecond=0, tzinfo=None).isoformat(sep=" "))

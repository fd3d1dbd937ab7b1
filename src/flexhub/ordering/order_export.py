"""An order as one row of an export: the columns a spreadsheet of orders needs, money in major units."""

from collections.abc import Mapping
from typing import Any

from flexhub.kernel.money import minor_digits

EXPORT_HEADER = ("order id", "channel", "order number", "status", "buyer", "phone", "SKUs", "nodes", "total",
                 "currency", "live room", "received (UTC)")


def export_row(order: Mapping[str, Any]) -> tuple[str | int | float | None, ...]:
    buyer = order.get("buyer") or {}
    skus = "; ".join(f"{line['sku']} x{line['quantity']}" for line in order["skus"])
    total = order["total"] / 10 ** minor_digits(order["currency"])
    return (order["id"], order["channel"], order["external_id"], order["status"], buyer.get("name"),
            buyer.get("phone"), skus, ", ".join(order["nodes"]), total, order["currency"], order["live_room"],
            order["created_at"].replace(microsecond=0, tzinfo=None).isoformat(sep=" "))

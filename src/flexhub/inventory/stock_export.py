"""A stock level as one row of an export: the SKU and its name, the node and pool, and its figures."""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flexhub.lists import Column, text


def stock_columns(_: ZoneInfo) -> Sequence[Column]:
    return (("SKU", text("sku")), ("name", text("name")), ("node", text("node")), ("pool", text("pool")),
            ("on hand", text("on_hand")), ("reserved", text("reserved")), ("safety", text("safety")),
            ("available", text("available")), ("in transit", text("in_transit")))

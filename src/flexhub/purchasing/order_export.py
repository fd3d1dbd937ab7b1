"""A purchase order as one row of an export: supplier, kind, node, state, dates, total in major units, and when it
was made on the tenant's clock."""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flexhub.kernel.money import minor_digits
from flexhub.lists import Column, clock_time, major_units, text


def purchase_order_columns(where: ZoneInfo) -> Sequence[Column]:
    return (("purchase order id", text("id")), ("supplier", text("supplier")), ("kind", text("kind")),
            ("node", text("location")), ("state", text("state")), ("reference", text("reference")),
            ("expected on", lambda o: o["expected_on"] and o["expected_on"].isoformat()),
            ("total", major_units("total", lambda o: minor_digits(o["currency"]))), ("currency", text("currency")),
            (f"created ({where.key})", clock_time("created_at", where)))

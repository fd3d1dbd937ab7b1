"""Amazon values in canonical terms: money in minor units, moments in UTC, addresses in our keys."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flexhub.kernel.clock import as_utc
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.money import to_minor


def minor(money: Mapping[str, Any] | None, currency: str) -> int:
    """`{"amount": "9.99", ...}` (Orders 2026) or `{"Amount": "9.99", ...}` (Orders v0); absent is 0."""
    if not money:
        return 0
    return to_minor(money.get("amount", money.get("Amount", "0")), currency)


def moment(value: str | None) -> datetime | None:
    return as_utc(datetime.fromisoformat(value)) if value else None


def unit_price(line_total: int, quantity: int) -> tuple[int, int]:
    """A line total as (unit price, extra discount): rounded up so unit × quantity − discount is exact."""
    unit = -(-line_total // quantity)
    return unit, unit * quantity - line_total


def address(country: str | None, province: str | None, city: str | None, district: str | None,
            lines: list[str | None], postal_code: str | None) -> dict[str, str]:
    given = [line for line in lines if line]
    found = {"country": country, "province": province, "city": city, "district": district,
             "line1": given[0] if given else None, "line2": ", ".join(given[1:]) or None, "postal_code": postal_code}
    return {key: value for key, value in found.items() if value}


def given(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value not in (None, "")}


def status(statuses: Mapping[str, str], platform_status: str | None) -> str:
    if platform_status is None or platform_status not in statuses:
        raise ValidationFailed(f"unknown Amazon order status {platform_status!r}", known=sorted(statuses))
    return statuses[platform_status]

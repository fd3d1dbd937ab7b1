"""Carriers' bills as they publish them, read into per-waybill charges (pure: no database).

`sf_monthly_bill`: SF Express's monthly-account bill detail (月结账单明细) as its 快递管家 platform pushes it
(推送月结账单明细) or answers it (获取月结账单明细): `{"monthlyCardNo", "list": [{"businessName", "businessType",
"detailsTemplate": [{"nameCn", "nameEn"}, …], "details": [[cell, …], …]}]}` — each business type's rows are arrays
whose cells the template names by position. The waybill is the column named 运单号 (`waybillNo`, `mailNo`), the
charge the column named 应付金额 (`shouldPayAmount`; else 费用合计/应付费用, `totalFee`/`payAmount`), in yuan. A
row that cannot be read (too few cells, no waybill, an amount that is not one) is kept with where it is and why,
never dropped. The source of the format is recorded in tests/fixtures/finance/carriers/SOURCES.md."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flexhub.finance.errors import UnreadableBill
from flexhub.kernel.money import to_minor

WAYBILL_NAMES = frozenset({"运单号", "waybillNo", "waybillno", "mailNo", "mailno"})
AMOUNT_NAMES = ("应付金额", "shouldPayAmount", "费用合计", "totalFee", "应付费用", "payAmount")
SF_CURRENCY = "CNY"


@dataclass(frozen=True, slots=True)
class BillLine:
    """One row of a carrier's bill: where it is (`list[0].details[3]`), the waybill and what it charged (minor
    units), or why it could not be read."""

    position: str
    raw: str
    waybill_number: str | None = None
    amount: int | None = None
    currency: str = SF_CURRENCY
    error: str | None = None


def sf_monthly_bill(content: str) -> list[BillLine]:
    try:
        bill = json.loads(content)
    except ValueError as error:
        raise UnreadableBill(f"not SF's monthly bill detail (not JSON: {error})") from None
    parts = bill.get("list") if isinstance(bill, dict) else None
    if not isinstance(parts, list) or not parts:
        raise UnreadableBill("not SF's monthly bill detail: no \"list\" of business types")
    lines = []
    for n, part in enumerate(parts):
        waybill, amount = _columns(part, n)
        for k, row in enumerate(part.get("details") or []):
            lines.append(_line(f"list[{n}].details[{k}]", row, waybill, amount))
    return lines


def _columns(part: Any, n: int) -> tuple[int, int]:
    template = part.get("detailsTemplate") if isinstance(part, dict) else None
    if not isinstance(template, list):
        raise UnreadableBill(f"list[{n}] has no detailsTemplate naming its columns")
    names = [{str(column.get("nameCn", "")), str(column.get("nameEn", ""))} if isinstance(column, dict) else set()
             for column in template]
    waybill = next((k for k, found in enumerate(names) if found & WAYBILL_NAMES), None)
    amount = next((k for name in AMOUNT_NAMES for k, found in enumerate(names) if name in found), None)
    if waybill is None or amount is None:
        raise UnreadableBill(f"list[{n}]'s template names no waybill (运单号) or no amount (应付金额) column")
    return waybill, amount


def _line(position: str, row: Any, waybill: int, amount: int) -> BillLine:
    raw = json.dumps(row, ensure_ascii=False)
    if not isinstance(row, list) or len(row) <= max(waybill, amount):
        return BillLine(position, raw, error="a row with fewer cells than its template names")
    number = str(row[waybill] or "").strip()
    if not number:
        return BillLine(position, raw, error="a row with no waybill number")
    try:
        charged = Decimal(str(row[amount]).strip())
    except InvalidOperation:
        return BillLine(position, raw, waybill_number=number, error=f"{row[amount]!r} is not an amount")
    if not charged.is_finite():
        return BillLine(position, raw, waybill_number=number, error=f"{row[amount]!r} is not an amount")
    return BillLine(position, raw, waybill_number=number, amount=to_minor(charged, SF_CURRENCY))


FORMATS: dict[str, Callable[[str], Sequence[BillLine]]] = {"sf_monthly_bill": sf_monthly_bill}

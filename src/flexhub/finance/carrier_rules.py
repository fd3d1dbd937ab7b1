"""Reconciling a carrier's bill against the hub's parcels (pure): each billed row is judged, and what the bill
should have held and does not is found.

| kind | when | expected / actual |
|---|---|---|
| `unknown_waybill` | a waybill no shipment of the tenant carries | 0 / what it charged |
| `duplicate_waybill` | a waybill billed on more than one row | its first row's charge / all its rows' |
| `above_rate_card` | a charge above the parcel's rate card price (its routed plan over its parcels) | card / charged |
| `not_billed` | a parcel of the carrier shipped in the bill's period that no row bills | the rate card's / 0 |
| `other` | a row that could not be read (its waybill is then not judged as not billed) | — |

A waybill billed twice is charged once (its first row) and judged on that row."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_WAYBILL, DUPLICATE_WAYBILL, ABOVE_RATE_CARD, NOT_BILLED, OTHER = (
    "unknown_waybill", "duplicate_waybill", "above_rate_card", "not_billed", "other")
BILL_DIFFERENCE_KINDS = (UNKNOWN_WAYBILL, DUPLICATE_WAYBILL, ABOVE_RATE_CARD, NOT_BILLED, OTHER)


@dataclass(frozen=True, slots=True)
class Parcel:
    waybill_number: str
    order_id: str
    expected: int | None  # the rate card's price of the parcel, minor units; None when the order has no plan


@dataclass(frozen=True, slots=True)
class BillDifference:
    kind: str
    waybill_number: str | None
    expected: int | None
    actual: int | None
    reason: str
    positions: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class JudgedBill:
    charges: dict[str, int]  # waybill → the charge kept
    differences: list[BillDifference]


def judge_bill(lines: Sequence[Any], parcels: Mapping[str, Parcel], due: Iterable[Parcel]) -> JudgedBill:
    """`lines`: the bill's rows (`carrier_bills.BillLine`); `parcels`: the tenant's parcels by waybill, for every
    waybill the bill names; `due`: the carrier's parcels shipped in the bill's period."""
    rows: dict[str, list[Any]] = defaultdict(list)
    differences = []
    unread: set[str] = set()  # waybills named on a row that could not be read: not "not billed"
    for line in lines:
        if line.error is not None:
            differences.append(BillDifference(OTHER, line.waybill_number, None, None,
                                              f"{line.position}: {line.error}", [line.position]))
            unread.add(line.waybill_number or "")
        else:
            rows[line.waybill_number].append(line)
    for waybill, billed in rows.items():
        first, positions = billed[0].amount, [line.position for line in billed]
        parcel = parcels.get(waybill)
        if len(billed) > 1:
            differences.append(BillDifference(DUPLICATE_WAYBILL, waybill, first, sum(line.amount for line in billed),
                                              f"billed on {len(billed)} rows", positions))
        if parcel is None:
            differences.append(BillDifference(UNKNOWN_WAYBILL, waybill, 0, first,
                                              "no shipment carries this waybill", positions[:1]))
        elif parcel.expected is not None and first > parcel.expected:
            differences.append(BillDifference(ABOVE_RATE_CARD, waybill, parcel.expected, first,
                                              f"charged {first} where the rate card says {parcel.expected}",
                                              positions[:1]))
    for parcel in due:
        if parcel.waybill_number not in rows and parcel.waybill_number not in unread:
            differences.append(BillDifference(NOT_BILLED, parcel.waybill_number, parcel.expected, 0,
                                              "shipped in the bill's period and not billed"))
    differences.sort(key=lambda d: (d.kind, d.waybill_number or ""))
    return JudgedBill({waybill: billed[0].amount for waybill, billed in rows.items()}, differences)

"""Pure reseller decisions: the supply price of a SKU on a day, what an order costs the reseller, whether it fits
its credit, and a month's statement from its account entries."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Price:
    sku: str
    valid_from: date
    valid_to: date | None
    unit_price: int


@dataclass(frozen=True, slots=True)
class Terms:
    currency: str
    credit_limit: int | None
    dropship_fee: int
    storage_fee_per_unit_day: int


def price_on(prices: Sequence[Price], sku: str, day: date) -> int | None:
    """The price in force for `sku` on `day`: the latest valid_from not after it, unless it ended."""
    valid = [p for p in prices if p.sku == sku and p.valid_from <= day and (p.valid_to is None or day < p.valid_to)]
    return max(valid, key=lambda p: p.valid_from).unit_price if valid else None


def prices_on(prices: Sequence[Price], day: date) -> dict[str, int]:
    return {sku: found for sku in {p.sku for p in prices} if (found := price_on(prices, sku, day)) is not None}


@dataclass(frozen=True, slots=True)
class Owed:
    goods: int
    dropship_fee: int

    @property
    def total(self) -> int:
        return self.goods + self.dropship_fee


def owed_for(lines: Sequence[tuple[str, int, int, int]], prices: Mapping[str, int], terms: Terms) -> Owed:
    """What an order costs the reseller: each unit at its supply price (a SKU without one at what the line sold
    for, after its discount) plus the 代发费."""
    goods = sum(quantity * prices[sku] if sku in prices else quantity * price - discount
                for sku, quantity, price, discount in lines)
    return Owed(goods, terms.dropship_fee)


def returned_credit(returned: Mapping[str, int], prices: Mapping[str, int],
                    sold: Mapping[str, tuple[int, int]]) -> int:
    """What units sent back are credited: each at the supply price the reseller was charged (a SKU without one at
    what its line sold for, after its discount); only SKUs of the order, never more units than it sold.
    `sold`: SKU → (units sold, unit price after discount)."""
    return sum(min(units, sold[sku][0]) * prices.get(sku, sold[sku][1])
               for sku, units in returned.items() if units > 0 and sku in sold)


def storage_fee(units: int, terms: Terms) -> int:
    """仓储费 of one day: every unit on hand in the reseller's consigned pool at the day's end × its fee."""
    return max(units, 0) * terms.storage_fee_per_unit_day


def over_limit(balance: int, owed: int, terms: Terms) -> bool:
    return terms.credit_limit is not None and balance + owed > terms.credit_limit


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    reference: str
    amount: int
    at: datetime


@dataclass(frozen=True)
class Statement:
    opening: int
    entries: Sequence[Entry]
    totals: Mapping[str, int]
    closing: int


KINDS = ("goods", "dropship_fee", "storage_fee", "cancelled", "returned", "payment")


def statement(before: int, entries: Sequence[Entry]) -> Statement:
    """A month's statement: the balance brought forward, every entry in it, the sum of each kind, the balance
    carried forward (positive: the reseller owes)."""
    totals = {kind: sum(e.amount for e in entries if e.kind == kind) for kind in KINDS}
    return Statement(before, sorted(entries, key=lambda e: e.at), totals, before + sum(totals.values()))

"""Moving-average cost per SKU, replayed from the stock ledger, so a shipment's cost of goods is what the
average was when it shipped, and rebuilding gives the same figures every time.

Costs are kept in the tenant's cost currency (`exchange_queries.cost_currency`, CNY unless set): a purchase order's
unit cost, a supplier's terms or a landed cost in another currency is converted with the exchange rate of the
receipt's day (to the minor unit); a receipt with no rate for its day raises `finance.missing_exchange_rate`.

A receipt with a known unit cost moves the average: the units held (none below zero) at the old average plus
the units received at their cost, over all of them. A purchase or production receipt costs what its order line
says (`receive` movements referencing `po:<order>/asn:<notice>`), plus its share of the receipt's landed costs
(freight, duty: each allocated over the receipt's movements by their value at the order's cost, or by units); any
other receipt costs the SKU's supplier terms, when it has some. Every other movement (a shipment, a return, a
count, a transfer, an adjustment) moves units at the average as it stands and leaves it unchanged. The cost is
kept per SKU across every node and pool. A landed cost recorded later changes the replay from that receipt on:
the costs of what shipped after it are what they would have been had it been known then.
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import exchange_queries, profit_queries, rules
from flexhub.kernel.clock import as_utc
from flexhub.purchasing import sourcing_terms

RECEIPT = "receive"
PURCHASE_RECEIPT = re.compile(r"^po:(?P<order>[0-9a-f-]{36})/asn:")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A ledger movement as costing reads it: the SKU, the kind, the on-hand change and, for a receipt whose
    cost is known, the unit cost in minor units."""

    sku_id: uuid.UUID
    kind: str
    quantity: int
    reference: str | None = None
    unit_cost: int | None = None
    landed: int = 0  # the receipt's landed costs allocated to this movement, in minor units
    day: date | None = None  # when it moved (UTC)


@dataclass(frozen=True, slots=True)
class Costed:
    """An entry and its value at the cost it moved at (negative for units going out), in minor units."""

    entry: LedgerEntry
    value: int


@dataclass
class SkuCost:
    on_hand: int = 0
    average: Fraction = field(default_factory=Fraction)

    @property
    def unit_cost(self) -> int:
        return rounded(self.average)

    @property
    def value(self) -> int:
        return rounded(self.average * self.on_hand)


def replay(entries: Iterable[LedgerEntry]) -> tuple[dict[uuid.UUID, SkuCost], list[Costed]]:
    """Each SKU's cost after `entries` (oldest first), and every entry valued as it moved."""
    costs: dict[uuid.UUID, SkuCost] = {}
    costed = []
    for entry in entries:
        cost = costs.setdefault(entry.sku_id, SkuCost())
        if entry.kind == RECEIPT and entry.quantity > 0 and entry.unit_cost is not None:
            held = max(cost.on_hand, 0)
            cost.average = (cost.average * held + entry.quantity * entry.unit_cost + entry.landed) \
                / (held + entry.quantity)
        costed.append(Costed(entry, rounded(cost.average * entry.quantity)))
        cost.on_hand += entry.quantity
    return costs, costed


def rounded(value: Fraction) -> int:
    """Half away from zero, to a minor unit."""
    whole = int(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def ledger_costs(connection: Connection, tenant_id: uuid.UUID) -> tuple[dict[uuid.UUID, SkuCost], list[Costed]]:
    """The tenant's ledger replayed in its cost currency, receipts costed by their purchase order line, else the
    supplier terms."""
    rates, books = exchange_queries.rates(connection, tenant_id), exchange_queries.cost_currency(connection, tenant_id)
    order_lines = profit_queries.purchase_costs(connection, tenant_id)
    currencies = profit_queries.purchase_currencies(connection, tenant_id)
    terms = {sku_id: (found["unit_cost"], found["currency"])
             for sku_id, found in sourcing_terms(connection, tenant_id).items()}
    entries = []
    for row in profit_queries.ledger_movements(connection, tenant_id):
        cost = _cost(row, order_lines, currencies, terms)
        day = as_utc(row.created_at).date()
        entries.append(LedgerEntry(row.sku_id, row.kind, row.on_hand_delta, row.reference,
                                   rates.convert(cost[0], cost[1], books, day) if cost else None, day=day))
    days = {entry.reference: entry.day for entry in reversed(entries) if entry.kind == RECEIPT}
    landed = {reference: [SimpleNamespace(basis=cost.basis, amount=rates.convert(
        cost.amount, cost.currency, books, days.get(reference) or date.min) or 0) for cost in found]
              for reference, found in profit_queries.landed_costs(connection, tenant_id).items()}
    rates.check()
    return replay(with_landed_costs(entries, landed))


def with_landed_costs(entries: list[LedgerEntry], landed: Mapping[str, Sequence[Any]]) -> list[LedgerEntry]:
    """`entries` with each receipt's landed costs allocated over its costed receive movements (by their value at
    the order's unit cost, or by units), to the minor unit."""
    receipts: dict[str, list[int]] = defaultdict(list)
    for n, entry in enumerate(entries):
        reference = entry.reference
        if entry.kind == RECEIPT and entry.quantity > 0 and entry.unit_cost is not None and reference in landed \
                and reference is not None:
            receipts[reference].append(n)
    extra = [0] * len(entries)
    for reference, positions in receipts.items():
        for cost in landed[reference]:
            weights = [entries[n].quantity * (entries[n].unit_cost or 0) if cost.basis == "value"
                       else entries[n].quantity for n in positions]
            for n, part in zip(positions, rules.allocate(cost.amount, weights), strict=True):
                extra[n] += part
    return [replace(entry, landed=entry.landed + more) if more else entry for entry, more in zip(entries, extra,
                                                                                                strict=True)]


def _cost(row: Any, order_lines: Mapping[tuple[str, uuid.UUID], int], currencies: Mapping[str, str],
          terms: Mapping[uuid.UUID, tuple[int, str]]) -> tuple[int, str] | None:
    """A receipt's unit cost and its currency: its purchase order line's, else the SKU's supplier terms'."""
    if row.kind != RECEIPT:
        return None
    purchase = PURCHASE_RECEIPT.match(row.reference or "")
    if purchase is None:
        return terms.get(row.sku_id)
    unit_cost = order_lines.get((purchase["order"], row.sku_id))
    return (unit_cost, currencies[purchase["order"]]) if unit_cost is not None else None


def sku_costs_view(connection: Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every SKU the ledger holds: units on hand, moving-average unit cost and the stock's value."""
    costs, _ = ledger_costs(connection, tenant_id)
    codes = profit_queries.sku_codes(connection, tenant_id, costs)
    return sorted(({"sku": codes[sku_id], "on_hand": cost.on_hand, "unit_cost": cost.unit_cost,
                    "value": cost.value} for sku_id, cost in costs.items()), key=lambda row: row["sku"])

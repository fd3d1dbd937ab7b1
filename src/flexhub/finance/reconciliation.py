"""A channel's reconciliation over a period: its statement lines and the orders they name (or that were placed
in the period) read through `queries`, judged by the pure `rules.reconcile`, each difference given a stable id
and the resolution a person wrote for it. Used by the API, the CLI and the resolve handler alike."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from flexhub.finance import queries, rules
from flexhub.finance.errors import InvalidPeriod
from flexhub.finance.formats.lines import SALE, StatementLine
from flexhub.kernel.clock import as_utc

DIFFERENCES = uuid.UUID("9c5f6a52-3c1e-4b7e-9d8e-6f0e0b1a7c21")  # the namespace of difference ids


@dataclass(frozen=True)
class Found:
    """A difference as listed: the rules' finding, its id, the stored lines it holds, its resolution if any."""

    id: uuid.UUID
    difference: rules.Difference
    lines: list[Any]
    resolution: Any


@dataclass(frozen=True)
class ChannelReconciliation:
    channel: Any
    start: datetime | None
    end: datetime | None
    lines: int
    matched: int
    differences: list[Found]

    def find(self, difference_id: uuid.UUID) -> Found | None:
        return next((found for found in self.differences if found.id == difference_id), None)

    def view(self) -> dict[str, Any]:
        return {"channel": self.channel.code, "from": self.start, "to": self.end, "lines": self.lines,
                "matched": self.matched, "open": sum(1 for f in self.differences if f.resolution is None),
                "differences": [_difference_view(found) for found in self.differences]}


def channel_reconciliation(connection: Connection, tenant_id: uuid.UUID, code: str, start: datetime | None = None,
                           end: datetime | None = None) -> ChannelReconciliation:
    start, end = (as_utc(t) if t else None for t in (start, end))
    if start and end and start >= end:
        raise InvalidPeriod("the period's start must come before its end", start=str(start), end=str(end))
    channel = queries.channel(connection, tenant_id, code)
    rows = queries.statement_lines(connection, tenant_id, channel.id, start, end)
    names = {r.external_id for r in rows if r.external_id}
    named = queries.orders_named(connection, tenant_id, channel.id,
                                 names | {order for name in names for order in rules.checkout_orders(name)})
    paid = {r.external_id for r in rows if r.kind == SALE}  # a refund of an old order does not widen the period
    period = rules.default_period((as_utc(r.occurred_at) for r in rows if r.occurred_at),
                                  (as_utc(o.placed) for o in named if rules.checkout_of(o.external_id) in paid))
    start = start or (period[0] if period else None)
    end = end or (period[1] if period else None)
    placed = queries.orders_placed(connection, tenant_id, channel.id, start, end) if start and end else []
    facts = rules.by_checkout(_order_facts(connection, tenant_id, channel.id, {o.id: o for o in [*named, *placed]},
                                           start, end))
    reconciled = rules.reconcile([_line(row) for row in rows], facts)
    ids = [_difference_id(channel.id, d, rows) for d in reconciled.differences]
    resolved = queries.resolutions(connection, tenant_id, ids)
    found = [Found(i, d, [rows[p] for p in d.lines], resolved.get(i)) for i, d in zip(ids, reconciled.differences,
                                                                                     strict=True)]
    return ChannelReconciliation(channel, start, end, len(rows), len(reconciled.matched), found)


def _order_facts(connection: Connection, tenant_id: uuid.UUID, channel_id: uuid.UUID, orders: dict[uuid.UUID, Any],
                 start: datetime | None, end: datetime | None) -> dict[str, rules.OrderFacts]:
    returned = queries.returned(connection, tenant_id, orders)
    versions = [(v.effective_from, rules.FeeTerms(v.commission_ppm, v.payment_fee_ppm, v.fixed_per_order,
                                                  v.subsidy_ppm)) for v in queries.fee_terms(connection, tenant_id,
                                                                                             channel_id)]
    facts = {}
    for order in orders.values():
        placed = as_utc(order.placed)
        cancelled = order.status == "cancelled"
        facts[order.external_id] = rules.OrderFacts(
            external_id=order.external_id, total=order.total, currency=order.currency,
            accepted=not cancelled and order.payment_state != "pending", cancelled=cancelled,
            refund_known=cancelled or order.id in returned or order.payment_state in ("refunded",
                                                                                      "partially_refunded"),
            in_period=bool(start and end and start <= placed < end), terms=rules.terms_on(versions, placed.date()))
    return facts


def _line(row: Any) -> StatementLine:
    return StatementLine(line_no=row.line_no, raw=row.raw, kind=row.kind, external_id=row.external_id,
                         amount=row.amount, fee=row.fee, currency=row.currency, occurred_at=row.occurred_at,
                         event=f"{row.statement_id}/{row.event}" if row.event else None, part=row.part,
                         reference=row.reference, description=row.description, error=row.error)


def _difference_id(channel_id: uuid.UUID, difference: rules.Difference, rows: list[Any]) -> uuid.UUID:
    """Stable while the same lines show the same difference for the same order."""
    lines = sorted(str(rows[p].id) for p in difference.lines)
    return uuid.uuid5(DIFFERENCES, "|".join([str(channel_id), difference.kind, difference.external_id or "", *lines]))


def _difference_view(found: Found) -> dict[str, Any]:
    d, resolution = found.difference, found.resolution
    return {
        "id": str(found.id), "kind": d.kind, "external_id": d.external_id, "expected": d.expected,
        "actual": d.actual, "currency": d.currency, "reason": d.reason,
        "lines": [{"statement_id": str(row.statement_id), "line_no": row.line_no, "raw": row.raw,
                   "error": row.error} for row in found.lines],
        "resolution": None if resolution is None else {
            "note": resolution.note, "resolved_by": resolution.resolved_by, "resolved_at": resolution.resolved_at},
    }

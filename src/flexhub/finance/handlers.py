"""Finance handlers: import a statement (parsed before anything is written; the same content again is the same
statement; unreadable lines kept with their text), set a channel's fee terms from a date, resolve a difference
with a note, add a landed cost to a receipt, record what carriers charged per waybill. Each write is audited and
leaves an event."""

import hashlib
import uuid
from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import IntegrityError

from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.finance import profit_queries, queries, repository, rules
from flexhub.finance.commands import (
    AddLandedCost,
    DifferenceResolvedOut,
    FeeTermsVersionOut,
    ImportStatement,
    RecordCarrierCharges,
    Resolution,
    ResolveDifference,
    SetFeeTerms,
    StatementKept,
)
from flexhub.finance.errors import (
    DifferenceAlreadyResolved,
    InvalidCost,
    InvalidFeeTerms,
    UnknownDifference,
    UnknownReceipt,
    UnreadableStatement,
)
from flexhub.finance.events import (
    CarrierChargesRecorded,
    DifferenceResolved,
    FeeTermsSet,
    LandedCostAdded,
    StatementImported,
)
from flexhub.finance.formats.lines import UNREADABLE, StatementLine, unreadable
from flexhub.finance.formats.registry import format_named
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id
from flexhub.kernel.text import unstorable_reason

# Column widths of finance_statement_lines: longer keys are hashed, longer text cut.
EXTERNAL_ID, EVENT, PART, REFERENCE, DESCRIPTION = 120, 300, 120, 200, 300


def import_statement(cmd: ImportStatement, uow_factory: UnitOfWorkFactory) -> StatementKept:
    statement_format = format_named(cmd.format)
    if reason := unstorable_reason(cmd.content):
        raise UnreadableStatement(f"the statement's text {reason}")
    lines = statement_format.parse(cmd.content)
    if not lines:
        raise UnreadableStatement(f"the {statement_format.title} holds no lines")
    digest = hashlib.sha256(cmd.content.encode()).hexdigest()
    try:
        return _keep(cmd, lines, digest, uow_factory)
    except IntegrityError:  # the same content imported at the same moment by another request: that statement
        with uow_factory(write=False) as uow:
            channel_id = queries.channel(uow.connection, cmd.actor.tenant_id, cmd.channel).id
            first = repository.statement_by_hash(uow.connection, cmd.actor.tenant_id, channel_id, digest)
            if first is None:
                raise
            return _kept(uow, first.id, cmd, first.line_count, created=False)


def _keep(cmd: ImportStatement, lines: list[StatementLine], digest: str,
          uow_factory: UnitOfWorkFactory) -> StatementKept:
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        channel_id = queries.channel(uow.connection, tenant_id, cmd.channel).id
        existing = repository.statement_by_hash(uow.connection, tenant_id, channel_id, digest)
        if existing is not None:
            return _kept(uow, existing.id, cmd, existing.line_count, created=False)
        statement_id = new_id()
        rows = [_row(tenant_id, statement_id, channel_id, line) for line in lines]
        times = [line.occurred_at for line in lines if line.occurred_at]
        bad = sum(1 for row in rows if row["kind"] == UNREADABLE)
        repository.insert_statement(uow.connection, {
            "id": statement_id, "tenant_id": tenant_id, "channel_id": channel_id, "format": cmd.format,
            "content_hash": digest, "line_count": len(rows), "unreadable_count": bad,
            "first_at": min(times, default=None), "last_at": max(times, default=None),
            "imported_by": cmd.actor.name}, rows)
        uow.record(StatementImported(tenant_id=tenant_id, statement_id=str(statement_id), channel=cmd.channel,
                                     format=cmd.format, lines=len(rows), unreadable=bad))
        audit.record(uow, cmd.actor, audit.Audited("statement.import", "statement", statement_id, {
            "channel": cmd.channel, "format": cmd.format, "lines": len(rows), "unreadable": bad,
            "sha256": digest}))
        kept = _kept(uow, statement_id, cmd, len(rows), created=True)
        uow.commit()
    return kept


def set_fee_terms(cmd: SetFeeTerms, uow_factory: UnitOfWorkFactory) -> FeeTermsVersionOut:
    try:
        rates = {"commission_ppm": rules.ppm_of(cmd.commission_pct),
                 "payment_fee_ppm": rules.ppm_of(cmd.payment_fee_pct), "subsidy_ppm": rules.ppm_of(cmd.subsidy_pct)}
    except ValueError as error:
        raise InvalidFeeTerms(str(error)) from None
    if cmd.fixed_per_order < 0:
        raise InvalidFeeTerms("the fixed fee per order is an amount in minor units, at least 0")
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        channel_id = queries.channel(uow.connection, tenant_id, cmd.channel).id
        row = {"tenant_id": tenant_id, "channel_id": channel_id, "effective_from": cmd.effective_from, **rates,
               "fixed_per_order": cmd.fixed_per_order, "set_by": cmd.actor.name, "set_at": clock.now()}
        repository.replace_fee_terms(uow.connection, row)
        uow.record(FeeTermsSet(tenant_id=tenant_id, channel=cmd.channel, effective_from=cmd.effective_from.isoformat()))
        audit.record(uow, cmd.actor, audit.Audited("fee_terms.set", "channel", channel_id, {
            "effective_from": cmd.effective_from.isoformat(), **rates, "fixed_per_order": cmd.fixed_per_order}))
        uow.commit()
    return FeeTermsVersionOut(channel=cmd.channel, **queries.terms_view(SimpleNamespace(**row)))


def resolve_difference(cmd: ResolveDifference, uow_factory: UnitOfWorkFactory) -> DifferenceResolvedOut:
    tenant_id = cmd.actor.tenant_id
    try:
        difference_id = uuid.UUID(cmd.difference_id)
    except ValueError:
        raise UnknownDifference(f"no difference {cmd.difference_id}") from None
    with uow_factory() as uow:
        reconciliation = channel_reconciliation(uow.connection, tenant_id, cmd.channel, cmd.start, cmd.end)
        found = reconciliation.find(difference_id)
        if found is None:
            raise UnknownDifference(f"no difference {cmd.difference_id} in the reconciliation of {cmd.channel}")
        if found.resolution is not None:
            raise DifferenceAlreadyResolved(f"difference {difference_id} was resolved by "
                                            f"{found.resolution.resolved_by}", note=found.resolution.note)
        d = found.difference
        row = {"tenant_id": tenant_id, "difference_id": difference_id, "channel_id": reconciliation.channel.id,
               "kind": d.kind, "external_id": d.external_id, "expected": d.expected, "actual": d.actual,
               "note": cmd.note, "resolved_by": cmd.actor.name, "resolved_at": clock.now()}
        repository.insert_resolution(uow.connection, row)
        uow.record(DifferenceResolved(tenant_id=tenant_id, difference_id=str(difference_id), channel=cmd.channel,
                                      kind=d.kind, external_id=d.external_id))
        audit.record(uow, cmd.actor, audit.Audited("difference.resolve", "difference", difference_id, {
            "channel": cmd.channel, "kind": d.kind, "external_id": d.external_id, "expected": d.expected,
            "actual": d.actual, "note": cmd.note}))
        uow.commit()
    return DifferenceResolvedOut(id=str(difference_id), kind=d.kind, external_id=d.external_id, expected=d.expected,
                                 actual=d.actual, reason=d.reason, resolution=Resolution(
                                     note=cmd.note, resolved_by=cmd.actor.name, resolved_at=row["resolved_at"]))


def add_landed_cost(cmd: AddLandedCost, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    """The cost kept against the receipt, and how it falls on the receipt's units (as the replay allocates it)."""
    if cmd.kind not in rules.LANDED_KINDS or cmd.basis not in rules.BASES or cmd.amount <= 0:
        raise InvalidCost(f"a landed cost is one of {', '.join(rules.LANDED_KINDS)}, allocated by "
                          f"{' or '.join(rules.BASES)}, of more than 0 minor units", kind=cmd.kind, basis=cmd.basis)
    try:
        asn_id = uuid.UUID(cmd.asn)
    except ValueError:
        raise UnknownReceipt(f"no receipt of shipment notice {cmd.asn}") from None
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        reference = profit_queries.receipt_reference(uow.connection, tenant_id, asn_id)
        if reference is None:
            raise UnknownReceipt(f"shipment notice {cmd.asn} has received nothing")
        cost_id = new_id()
        row = {"id": cost_id, "tenant_id": tenant_id, "reference": reference, "kind": cmd.kind, "amount": cmd.amount,
               "currency": cmd.currency, "basis": cmd.basis, "note": cmd.note, "recorded_by": cmd.actor.name,
               "recorded_at": clock.now()}
        repository.insert_landed_cost(uow.connection, row)
        uow.record(LandedCostAdded(tenant_id=tenant_id, landed_cost_id=str(row["id"]), reference=reference,
                                   kind=cmd.kind, amount=cmd.amount))
        audit.record(uow, cmd.actor, audit.Audited("landed_cost.add", "landed_cost", cost_id, {
            "reference": reference, "kind": cmd.kind, "amount": cmd.amount, "currency": cmd.currency,
            "basis": cmd.basis}))
        allocated = _allocation(uow, tenant_id, reference, cmd)
        uow.commit()
    return {**{k: row[k] for k in ("reference", "kind", "amount", "currency", "basis", "note", "recorded_by",
                                   "recorded_at")}, "id": str(row["id"]), "allocated": allocated}


def _allocation(uow: UnitOfWork, tenant_id: uuid.UUID, reference: str, cmd: AddLandedCost) -> list[dict[str, Any]]:
    moved = profit_queries.receipt_movements(uow.connection, tenant_id, reference)
    order_id = reference.split("/")[0].removeprefix("po:")
    costs = profit_queries.purchase_costs(uow.connection, tenant_id)
    weights = [m.on_hand_delta * costs.get((order_id, m.sku_id), 0) if cmd.basis == "value" else m.on_hand_delta
               for m in moved]
    by_sku: dict[str, dict[str, int]] = {}
    for m, part in zip(moved, rules.allocate(cmd.amount, weights), strict=True):
        found = by_sku.setdefault(m.sku, {"units": 0, "amount": 0})
        found["units"] += m.on_hand_delta
        found["amount"] += part
    return [{"sku": sku, **found} for sku, found in sorted(by_sku.items())]


def record_carrier_charges(cmd: RecordCarrierCharges, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    """Each waybill's charge kept (the latest wins); the answer names the waybills no shipment carries."""
    waybills = [charge.waybill_number for charge in cmd.charges]
    if not cmd.charges or len(set(waybills)) != len(waybills):
        raise InvalidCost("name each waybill once, at least one")
    if any(charge.amount < 0 or not charge.waybill_number for charge in cmd.charges):
        raise InvalidCost("a charge is a waybill number and an amount of at least 0 minor units")
    tenant_id, now = cmd.actor.tenant_id, clock.now()
    with uow_factory() as uow:
        rows = [{"id": new_id(), "tenant_id": tenant_id, "waybill_number": c.waybill_number, "carrier": c.carrier,
                 "amount": c.amount, "currency": c.currency, "source": cmd.source[:200], "recorded_by": cmd.actor.name,
                 "recorded_at": now} for c in cmd.charges]
        repository.replace_carrier_charges(uow.connection, tenant_id, rows)
        shipped = profit_queries.shipped_waybills(uow.connection, tenant_id, waybills)
        uow.record(CarrierChargesRecorded(tenant_id=tenant_id, source=cmd.source, waybills=len(rows)))
        audit.record(uow, cmd.actor, audit.Audited("carrier_charges.record", "carrier_charges", new_id(), {
            "source": cmd.source, "waybills": len(rows), "total": sum(c.amount for c in cmd.charges)}))
        uow.commit()
    return {"recorded": len(rows), "unmatched": sorted(set(waybills) - shipped)}


def _row(tenant_id: uuid.UUID, statement_id: uuid.UUID, channel_id: uuid.UUID, line: StatementLine) -> dict[str, Any]:
    if line.external_id is not None and len(line.external_id) > EXTERNAL_ID:
        line = unreadable(line.line_no, line.raw, f"an order id longer than {EXTERNAL_ID} characters")
    return {"id": new_id(), "tenant_id": tenant_id, "statement_id": statement_id, "channel_id": channel_id,
            "line_no": line.line_no, "kind": line.kind, "external_id": line.external_id, "amount": line.amount,
            "fee": line.fee, "currency": line.currency, "occurred_at": line.occurred_at,
            "event": _key(line.event, EVENT), "part": _key(line.part, PART) or "",
            "reference": (line.reference or "")[:REFERENCE] or None, "description": line.description[:DESCRIPTION],
            "raw": line.raw, "error": line.error}


def _key(value: str | None, width: int) -> str | None:
    """A grouping key that fits its column: a longer one is replaced by its hash, which groups the same."""
    if value is None or len(value) <= width:
        return value
    return hashlib.sha256(value.encode()).hexdigest()


def _kept(uow: UnitOfWork, statement_id: uuid.UUID, cmd: ImportStatement, lines: int, *,
          created: bool) -> StatementKept:
    return StatementKept(id=statement_id, channel=cmd.channel, format=cmd.format, lines=lines, created=created,
                         unreadable=queries.unreadable_lines(uow.connection, cmd.actor.tenant_id, statement_id))

"""Finance handlers: import a statement (parsed before anything is written; the same content again is the same
statement; unreadable lines kept with their text), set a channel's fee terms from a date, resolve a difference
with a note. Each write is audited and leaves an event (costs are written by `cost_handlers`)."""

import hashlib
import uuid
from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import IntegrityError

from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.finance import queries, repository, rules
from flexhub.finance.commands import (
    DifferenceResolvedOut,
    FeeTermsVersionOut,
    ImportStatement,
    Resolution,
    ResolveDifference,
    SetFeeTerms,
    StatementKept,
)
from flexhub.finance.errors import (
    DifferenceAlreadyResolved,
    InvalidFeeTerms,
    UnknownDifference,
    UnreadableStatement,
)
from flexhub.finance.events import (
    DifferenceResolved,
    FeeTermsSet,
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

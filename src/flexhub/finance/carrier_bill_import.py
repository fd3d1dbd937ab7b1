"""Importing a carrier's bill in the carrier's own format: its rows read (`carrier_bills`), judged against the
tenant's parcels (`carrier_rules`), and each waybill's charge kept for profit (a waybill billed twice once). The
answer lists the differences; the bill is refused whole, nothing written, when it is not its format."""

from dataclasses import asdict
from typing import Any

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.finance import carrier_bills, carrier_queries, carrier_rules, repository
from flexhub.finance.commands import ImportCarrierBill
from flexhub.finance.errors import InvalidPeriod, UnknownFormat, UnreadableBill
from flexhub.finance.events import CarrierChargesRecorded
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.clock import as_utc
from flexhub.kernel.ids import new_id
from flexhub.kernel.text import unstorable_reason


def import_carrier_bill(cmd: ImportCarrierBill, uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    read = carrier_bills.FORMATS.get(cmd.format)
    if read is None:
        raise UnknownFormat(f"no carrier bill format {cmd.format!r}", formats=sorted(carrier_bills.FORMATS))
    if reason := unstorable_reason(cmd.content):
        raise UnreadableBill(f"the bill cannot be kept: {reason}")
    start, end = (as_utc(t) if t else None for t in (cmd.start, cmd.end))
    if (start is None) != (end is None) or (start and end and start >= end):
        raise InvalidPeriod("a bill's period has a start before its end, or neither")
    lines = read(cmd.content)
    tenant_id, now = cmd.actor.tenant_id, clock.now()
    with uow_factory() as uow:
        named = {line.waybill_number for line in lines if line.waybill_number}
        parcels = carrier_queries.parcels_billed(uow.connection, tenant_id, named)
        due = carrier_queries.parcels_shipped(uow.connection, tenant_id, cmd.carrier, start, end) \
            if start and end else []
        judged = carrier_rules.judge_bill(lines, parcels, due)
        currency = {line.waybill_number: line.currency for line in lines}
        source = (cmd.source or f"{cmd.format} bill")[:200]
        rows = [{"id": new_id(), "tenant_id": tenant_id, "waybill_number": waybill, "carrier": cmd.carrier,
                 "amount": amount, "currency": currency[waybill], "source": source, "recorded_by": cmd.actor.name,
                 "recorded_at": now} for waybill, amount in judged.charges.items()]
        if rows:
            repository.replace_carrier_charges(uow.connection, tenant_id, rows)
        uow.record(CarrierChargesRecorded(tenant_id=tenant_id, source=source, waybills=len(rows)))
        audit.record(uow, cmd.actor, audit.Audited("carrier_bill.import", "carrier_charges", new_id(), {
            "format": cmd.format, "carrier": cmd.carrier, "source": source, "lines": len(lines),
            "recorded": len(rows), "differences": len(judged.differences)}))
        uow.commit()
    return {"format": cmd.format, "carrier": cmd.carrier, "lines": len(lines), "recorded": len(rows),
            "differences": [asdict(d) for d in judged.differences]}

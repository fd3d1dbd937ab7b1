"""Finance's cost handlers: add a landed cost to a receipt, record what carriers charged per waybill, add a cost
of bringing a return back, record exchange rates (and the currency costs are kept in). Each write is audited and
leaves an event."""

import uuid

from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.finance import exchange_queries, profit_queries, repository, rules
from flexhub.finance.commands import (
    AddLandedCost,
    AddReturnCost,
    Allocation,
    CarrierChargesOut,
    ExchangeRatesOut,
    LandedCostOut,
    RecordCarrierCharges,
    RecordExchangeRates,
    ReturnCostOut,
)
from flexhub.finance.errors import InvalidCost, InvalidRate, UnknownReceipt, UnknownReturn
from flexhub.finance.events import CarrierChargesRecorded, ExchangeRatesRecorded, LandedCostAdded, ReturnCostAdded
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


def add_landed_cost(cmd: AddLandedCost, uow_factory: UnitOfWorkFactory) -> LandedCostOut:
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
        cost_id, now = new_id(), clock.now()
        repository.insert_landed_cost(uow.connection, {
            "id": cost_id, "tenant_id": tenant_id, "reference": reference, "kind": cmd.kind, "amount": cmd.amount,
            "currency": cmd.currency, "basis": cmd.basis, "note": cmd.note, "recorded_by": cmd.actor.name,
            "recorded_at": now})
        uow.record(LandedCostAdded(tenant_id=tenant_id, landed_cost_id=str(cost_id), reference=reference,
                                   kind=cmd.kind, amount=cmd.amount))
        audit.record(uow, cmd.actor, audit.Audited("landed_cost.add", "landed_cost", cost_id, {
            "reference": reference, "kind": cmd.kind, "amount": cmd.amount, "currency": cmd.currency,
            "basis": cmd.basis}))
        allocated = _allocation(uow, tenant_id, reference, cmd)
        uow.commit()
    return LandedCostOut(reference=reference, kind=cmd.kind, amount=cmd.amount, currency=cmd.currency,
                         basis=cmd.basis, note=cmd.note, recorded_by=cmd.actor.name, recorded_at=now,
                         id=str(cost_id), allocated=allocated)


def _allocation(uow: UnitOfWork, tenant_id: uuid.UUID, reference: str, cmd: AddLandedCost) -> list[Allocation]:
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
    return [Allocation(sku=sku, units=found["units"], amount=found["amount"]) for sku, found in sorted(by_sku.items())]


def record_carrier_charges(cmd: RecordCarrierCharges, uow_factory: UnitOfWorkFactory) -> CarrierChargesOut:
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
    return CarrierChargesOut(recorded=len(rows), unmatched=sorted(set(waybills) - shipped))


def add_return_cost(cmd: AddReturnCost, uow_factory: UnitOfWorkFactory) -> ReturnCostOut:
    """The cost kept against the return (which must belong to an order: profit counts it there)."""
    if cmd.kind not in rules.RETURN_COST_KINDS or cmd.amount <= 0:
        raise InvalidCost(f"a return cost is one of {', '.join(rules.RETURN_COST_KINDS)}, of more than 0 minor "
                          "units", kind=cmd.kind)
    try:
        return_id = uuid.UUID(cmd.return_id)
    except ValueError:
        raise UnknownReturn(f"no return {cmd.return_id}") from None
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        rma = profit_queries.return_order(uow.connection, tenant_id, return_id)
        if rma is None:
            raise UnknownReturn(f"no return {cmd.return_id}")
        if rma.order_id is None:
            raise InvalidCost("the return names no order, so no order's profit could carry its cost")
        cost_id, now = new_id(), clock.now()
        repository.insert_return_cost(uow.connection, {
            "id": cost_id, "tenant_id": tenant_id, "return_id": return_id, "kind": cmd.kind, "amount": cmd.amount,
            "currency": cmd.currency, "waybill_number": cmd.waybill_number, "note": cmd.note,
            "recorded_by": cmd.actor.name, "recorded_at": now})
        uow.record(ReturnCostAdded(tenant_id=tenant_id, return_cost_id=str(cost_id), return_id=str(return_id),
                                   kind=cmd.kind, amount=cmd.amount))
        audit.record(uow, cmd.actor, audit.Audited("return_cost.add", "return", return_id, {
            "kind": cmd.kind, "amount": cmd.amount, "currency": cmd.currency, "waybill_number": cmd.waybill_number}))
        uow.commit()
    return ReturnCostOut(kind=cmd.kind, amount=cmd.amount, currency=cmd.currency, waybill_number=cmd.waybill_number,
                         note=cmd.note, recorded_by=cmd.actor.name, recorded_at=now, id=str(cost_id),
                         return_id=str(return_id), order_id=str(rma.order_id))


def record_exchange_rates(cmd: RecordExchangeRates, uow_factory: UnitOfWorkFactory) -> ExchangeRatesOut:
    """Each (from, to, day)'s rate kept (replacing one recorded before), and the cost currency if given."""
    keys = [(r.from_currency, r.to_currency, r.day) for r in cmd.rates]
    if len(set(keys)) != len(keys):
        raise InvalidRate("name each pair of currencies once a day")
    if wrong := [r for r in cmd.rates if not rules.currency_code(r.from_currency)
                 or not rules.currency_code(r.to_currency) or r.from_currency == r.to_currency
                 or not rules.exchange_rate(r.rate)]:
        raise InvalidRate("a rate is between two different ISO 4217 currencies, above 0, with at most 10 decimals",
                          rate=f"{wrong[0].from_currency} → {wrong[0].to_currency} {wrong[0].rate}")
    if cmd.cost_currency is not None and not rules.currency_code(cmd.cost_currency):
        raise InvalidRate(f"{cmd.cost_currency!r} is not an ISO 4217 currency", cost_currency=cmd.cost_currency)
    tenant_id, now = cmd.actor.tenant_id, clock.now()
    with uow_factory() as uow:
        repository.replace_exchange_rates(uow.connection, tenant_id, [
            {"id": new_id(), "tenant_id": tenant_id, "from_currency": r.from_currency, "to_currency": r.to_currency,
             "day": r.day, "rate": str(r.rate),
             "source": cmd.source[:200], "recorded_by": cmd.actor.name, "recorded_at": now} for r in cmd.rates])
        if cmd.cost_currency is not None:
            repository.set_cost_currency(uow.connection, tenant_id, cmd.cost_currency, now)
        cost_currency = exchange_queries.cost_currency(uow.connection, tenant_id)
        uow.record(ExchangeRatesRecorded(tenant_id=tenant_id, source=cmd.source, rates=len(cmd.rates),
                                         cost_currency=cost_currency))
        audit.record(uow, cmd.actor, audit.Audited("exchange_rates.record", "exchange_rates", new_id(), {
            "source": cmd.source, "rates": len(cmd.rates), "cost_currency": cmd.cost_currency}))
        uow.commit()
    return ExchangeRatesOut(recorded=len(cmd.rates), cost_currency=cost_currency)

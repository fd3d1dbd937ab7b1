"""Finance routes: /api/v1/finance — statements in (201, or 200 with the same id for content imported before),
the formats installed, a channel's reconciliation over a period and the resolution of its differences, gross
profit by a dimension, moving-average costs per SKU, landed costs of receipts, carriers' charges per waybill,
what returns cost to bring back, exchange rates; and
/api/v1/channels/{code}/fees — a channel's fee terms by effective date. Staff only: partners see none of it."""

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from flexhub.api.auth import HubDep, allowed
from flexhub.finance import exchange_queries, profit_queries, queries
from flexhub.finance.commands import (
    AddLandedCost,
    AddReturnCost,
    CarrierChargeIn,
    ImportCarrierBill,
    ImportStatement,
    RateIn,
    RecordCarrierCharges,
    RecordExchangeRates,
    ResolveDifference,
    SetFeeTerms,
)
from flexhub.finance.costs import sku_costs_view
from flexhub.finance.errors import UnknownStatement
from flexhub.finance.formats.registry import formats
from flexhub.finance.profit import profit_view
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.finance.schemas import (
    CarrierBillIn,
    CarrierChargesIn,
    ExchangeRatesIn,
    FeeTermsIn,
    LandedCostIn,
    ResolveIn,
    ReturnCostIn,
    StatementIn,
    StatementOut,
)
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])
fees_router = APIRouter(prefix="/api/v1/channels", tags=["finance"])
Viewer = Annotated[Actor, Depends(allowed("finance.read"))]
Writer = Annotated[Actor, Depends(allowed("finance.write"))]
Admin = Annotated[Actor, Depends(allowed("channels.write"))]
From = Annotated[datetime | None, Query(alias="from", description="period start (a date or a time, UTC)")]
To = Annotated[datetime | None, Query(alias="to", description="period end, exclusive")]
Dimension = Annotated[str, Query(description="channel (the platform), store (the channel's code), streamer, "
                                             "live_room, sku, category, day or month")]
Basis = Annotated[str, Query(description="shipped (the default: orders whose goods have all shipped or been handed "
                                         "over at a store, in the period the last left) or placed (every order "
                                         "placed in the period, shipped or not)")]


@router.post("/statements", status_code=201, response_model=StatementOut, responses={
    200: {"model": StatementOut, "description": "this content was imported for this channel before: that statement"}})
def import_statement(body: StatementIn, actor: Writer, hub: HubDep, response: Response) -> dict[str, Any]:
    """Import a settlement statement. The same content for the same channel answers 200 with the first id."""
    kept = hub.handle(ImportStatement(actor=actor, channel=body.channel, format=body.format, content=body.content))
    if not kept.created:
        response.status_code = 200
    return {**asdict(kept), "id": str(kept.id)}


@router.get("/statements")
def list_statements(actor: Viewer, hub: HubDep, channel: str | None = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        channel_id = queries.channel(uow.connection, actor.tenant_id, channel).id if channel else None
        return {"statements": queries.statements(uow.connection, actor.tenant_id, channel_id, limit)}


@router.get("/statements/{statement_id}")
def get_statement(statement_id: uuid.UUID, actor: Viewer, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        found = queries.statement(uow.connection, actor.tenant_id, statement_id)
    if found is None:
        raise UnknownStatement(f"no statement {statement_id}")
    return found


@router.get("/formats")
def list_formats(actor: Viewer) -> dict[str, Any]:
    return {"formats": [{"format": name, "title": f.title} for name, f in sorted(formats().items())]}


@router.get("/reconciliation")
def reconciliation(actor: Viewer, hub: HubDep, channel: str, start: From = None, end: To = None) -> dict[str, Any]:
    """Every statement line of the channel in the period matched, or in a difference with its kind, the expected
    and actual amounts (minor units) and a reason. No period: the one its statements cover."""
    with hub.uow(write=False) as uow:
        return channel_reconciliation(uow.connection, actor.tenant_id, channel, start, end).view()


@router.post("/reconciliation/differences/{difference_id}/resolve")
def resolve_difference(difference_id: str, body: ResolveIn, actor: Writer, hub: HubDep, channel: str,
                       start: From = None, end: To = None) -> dict[str, Any]:
    """Resolve a difference of the reconciliation listed with the same channel and period, with a note."""
    return answer(hub.handle(ResolveDifference(actor=actor, channel=channel, difference_id=difference_id,
                                               note=body.note, start=start, end=end)))


@router.get("/profit")
def profit(actor: Viewer, hub: HubDep, by: Dimension, start: From = None, end: To = None,
           basis: Basis = "shipped") -> dict[str, Any]:
    """Revenue, discounts, platform fees, cost of goods, shipping, refunds, gross profit and margin per key of
    `by` and currency, over the orders booked in the period on `basis` (all of them without one): by default
    those shipped, when their last unit left."""
    with hub.uow(write=False) as uow:
        return profit_view(uow.connection, actor.tenant_id, by, start, end, basis)


@router.get("/costs")
def sku_costs(actor: Viewer, hub: HubDep) -> dict[str, Any]:
    """Per SKU: units on hand, the moving-average unit cost (minor units) and the stock's value."""
    with hub.uow(write=False) as uow:
        return {"skus": sku_costs_view(uow.connection, actor.tenant_id)}


@router.post("/landed-costs", status_code=201)
def add_landed_cost(body: LandedCostIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """Freight, duty or another cost of a receipt (by its shipment notice), allocated onto the units received by
    value or by quantity: the moving-average cost of what it brought in rises by it."""
    return answer(hub.handle(AddLandedCost(actor=actor, asn=body.asn, kind=body.kind, amount=body.amount,
                                           currency=body.currency.upper(), basis=body.basis, note=body.note)))


@router.get("/landed-costs")
def list_landed_costs(actor: Viewer, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {"landed_costs": profit_queries.landed_cost_list(uow.connection, actor.tenant_id)}


@router.post("/return-costs", status_code=201)
def add_return_cost(body: ReturnCostIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """What bringing a return back cost: the parcel back, handling and restocking, or another cost; profit counts
    it against the return's order, shared over the return's SKUs."""
    return answer(hub.handle(AddReturnCost(
        actor=actor, return_id=body.return_id, kind=body.kind, amount=body.amount, currency=body.currency.upper(),
        waybill_number=body.waybill_number, note=body.note)))


@router.get("/return-costs")
def list_return_costs(actor: Viewer, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {"return_costs": profit_queries.return_cost_list(uow.connection, actor.tenant_id)}


@router.put("/exchange-rates")
def record_exchange_rates(body: ExchangeRatesIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """Exchange rates by day (each replacing the one recorded for its pair and day), and optionally the currency
    costs are kept in: costs and charges in another currency are converted with the rate of their day."""
    return answer(hub.handle(RecordExchangeRates(
        actor=actor, source=body.source, cost_currency=body.cost_currency.upper() if body.cost_currency else None,
        rates=[RateIn(from_currency=r.from_currency.upper(), to_currency=r.to_currency.upper(), day=r.day,
                      rate=r.rate) for r in body.rates])))


@router.get("/exchange-rates")
def list_exchange_rates(actor: Viewer, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {"cost_currency": exchange_queries.cost_currency(uow.connection, actor.tenant_id),
                "rates": exchange_queries.rate_list(uow.connection, actor.tenant_id)}


@router.post("/carrier-bills")
def import_carrier_bill(body: CarrierBillIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """A carrier's bill as it publishes it (SF Express's monthly bill detail): each waybill's charge kept for profit,
    and the bill's differences from the hub's parcels (unknown or duplicate waybills, charges above the rate card,
    and with a period, parcels shipped in it and not billed)."""
    result: dict[str, Any] = hub.handle(ImportCarrierBill(actor=actor, format=body.format, content=body.content,
                                                          carrier=body.carrier, source=body.source,
                                                          start=body.start, end=body.end))
    return result


@router.post("/carrier-charges")
def record_carrier_charges(body: CarrierChargesIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """What carriers charged per waybill (a bill's lines): profit's shipping for the orders shipped under them,
    instead of the rate card. A waybill recorded again takes the new charge."""
    return answer(hub.handle(RecordCarrierCharges(actor=actor, source=body.source, charges=[
        CarrierChargeIn(waybill_number=c.waybill_number, amount=c.amount, currency=c.currency.upper(),
                        carrier=c.carrier) for c in body.charges])))


@fees_router.put("/{code}/fees")
def set_fees(code: str, body: FeeTermsIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """The channel's fee terms from `effective_from` (today if none) until a later version."""
    return answer(hub.handle(SetFeeTerms(
        actor=actor, channel=code, effective_from=body.effective_from or clock.now().date(),
        commission_pct=body.commission_pct, payment_fee_pct=body.payment_fee_pct,
        fixed_per_order=body.fixed_per_order, subsidy_pct=body.subsidy_pct)))


@fees_router.get("/{code}/fees")
def get_fees(code: str, actor: Viewer, hub: HubDep) -> dict[str, Any]:
    """Every version of the channel's fee terms, oldest first."""
    with hub.uow(write=False) as uow:
        found = queries.channel(uow.connection, actor.tenant_id, code)
        return {"channel": code, "versions": queries.fee_terms_view(uow.connection, actor.tenant_id, found.id)}

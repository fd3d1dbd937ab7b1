"""Purchasing routes: /api/v1/purchasing — supplier terms and factories, orders (by hand or from suggestions)
and their steps, the supplier portal, shipment notices, receipts and discrepancies. A supplier's key reads and
answers its own orders only; anyone else's is 404."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from flexhub import fulfillment, replenishment
from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import FILE, ExportDep, exported
from flexhub.kernel.messages import Actor
from flexhub.kernel.results import answer
from flexhub.purchasing import dropship, queries
from flexhub.purchasing.commands import (
    ActOnOrder,
    AnnounceShipment,
    CreatePurchaseOrder,
    OrderFromSuggestions,
    OrderLineSpec,
    ProposeChange,
    ReceiveAsn,
    ResolveDiscrepancy,
    SetFactory,
    SetSupplierSku,
)
from flexhub.purchasing.handlers import supplier_scope
from flexhub.purchasing.order_export import purchase_order_columns
from flexhub.purchasing.portal import supplier_view
from flexhub.purchasing.schemas import (
    AsnIn,
    AsnOut,
    ChangeIn,
    DiscrepanciesOut,
    DropshipShipIn,
    DropshipTaskOut,
    DropshipTasksOut,
    FactoryIn,
    FactoryOut,
    FromSuggestionsIn,
    FromSuggestionsOut,
    OrderIn,
    OrderOut,
    OrdersOut,
    PortalOut,
    PresalesOut,
    ReceiptOut,
    ReceiveIn,
    ResolvedOut,
    ResolveIn,
    SupplierSkuIn,
    SupplierSkuOut,
)

router = APIRouter(prefix="/api/v1/purchasing", tags=["purchasing"])
Writer = Annotated[Actor, Depends(allowed("purchasing.write"))]
Supplier = Annotated[Actor, Depends(allowed("purchasing.respond"))]
ORDER = "/orders/{order_id}"
BrandStep = Literal["send", "cancel", "close", "accept-change", "reject-change"]


@router.put("/suppliers/{supplier}/skus/{sku}", response_model=SupplierSkuOut)
def set_supplier_sku(supplier: str, sku: str, body: SupplierSkuIn, actor: Writer, hub: HubDep) -> SupplierSkuOut:
    """Which supplier supplies a SKU, on what terms; replenishment plans on the lowest priority's."""
    return hub.handle(SetSupplierSku(actor=actor, supplier=supplier, sku=sku, **body.model_dump()))


@router.get("/supplier-skus", response_model=list[SupplierSkuOut])
def list_supplier_skus(actor: Reader, hub: HubDep) -> list[dict]:
    with hub.uow(write=False) as uow:
        return queries.list_terms(uow.connection, actor.tenant_id, partner_id=actor.partner_id)


@router.put("/factories/{supplier}", response_model=FactoryOut)
def set_factory(supplier: str, body: FactoryIn, actor: Writer, hub: HubDep) -> FactoryOut:
    """Make a supplier the brand's own factory, with its daily capacity: it gets production orders."""
    return hub.handle(SetFactory(actor=actor, supplier=supplier, daily_capacity=body.daily_capacity))


@router.post("/orders", status_code=201, response_model=OrderOut)
def create_order(body: OrderIn, actor: Writer, hub: HubDep) -> OrderOut:
    lines = [OrderLineSpec(**line.model_dump()) for line in body.lines]
    return hub.handle(CreatePurchaseOrder(actor=actor, **body.model_dump(exclude={"lines"}), lines=lines))


@router.post("/orders/from-suggestions", status_code=201, response_model=FromSuggestionsOut)
def from_suggestions(actor: Writer, hub: HubDep, body: FromSuggestionsIn | None = None) -> dict[str, Any]:
    """Draft (or send) one order per supplier, node and kind from replenishment's suggestions."""
    return answer(hub.handle(OrderFromSuggestions(actor=actor, **(body or FromSuggestionsIn()).model_dump())))


@router.get("/orders", response_model=OrdersOut)
def list_orders(actor: Reader, hub: HubDep, state: Annotated[list[str] | None, Query()] = None,
                supplier: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    with hub.uow(write=False) as uow:
        return {"orders": queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                              supplier=supplier, states=state, limit=limit)}


@router.get("/orders/export", response_class=StreamingResponse, responses=FILE)
def export_orders(actor: Reader, hub: HubDep, options: ExportDep,
                  state: Annotated[list[str] | None, Query()] = None) -> StreamingResponse:
    """Every purchase order (of these states), as CSV or an Excel workbook (`format`), streamed."""
    spec = queries.purchase_order_list(actor.tenant_id, partner_id=actor.partner_id, states=state)
    return exported(hub, actor, spec, options, "purchase-orders", purchase_order_columns)


@router.get(ORDER, response_model=OrderOut)
def get_order(order_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)


@router.post(ORDER + "/confirm", response_model=OrderOut, name="confirm_order")
def confirm(order_id: uuid.UUID, actor: Supplier, hub: HubDep) -> OrderOut:
    """The supplier takes the order as sent."""
    return hub.handle(ActOnOrder(actor=actor, order_id=str(order_id), action="confirm"))


@router.post(ORDER + "/change", response_model=OrderOut)
def change(order_id: uuid.UUID, body: ChangeIn, actor: Supplier, hub: HubDep) -> OrderOut:
    """The supplier offers other quantities and/or another date; the brand accepts or rejects the change."""
    return hub.handle(ProposeChange(actor=actor, order_id=str(order_id), quantities=body.quantities,
                                    expected_on=body.expected_on))


@router.post(ORDER + "/asns", status_code=201, response_model=AsnOut)
def announce(order_id: uuid.UUID, body: AsnIn, actor: Supplier, hub: HubDep) -> AsnOut:
    """The supplier announces a shipment: lines, expected arrival, carrier and tracking number."""
    return hub.handle(AnnounceShipment(actor=actor, order_id=str(order_id), expected_on=body.expected_on,
                                       lines=_quantities(body.lines), carrier=body.carrier,
                                       tracking_number=body.tracking_number))


@router.get("/asns/{asn_id}", response_model=AsnOut)
def get_asn(asn_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    with hub.uow(write=False) as uow:
        return queries.asn_view(uow.connection, actor.tenant_id, str(asn_id), partner_id=actor.partner_id)


@router.post("/asns/{asn_id}/receive", response_model=ReceiptOut)
def receive(asn_id: uuid.UUID, actor: Writer, hub: HubDep, body: ReceiveIn | None = None) -> ReceiptOut:
    """Receive a notice at the order's node: the ledger gets the units, the order its received quantities;
    what differs becomes a discrepancy. A second receipt is 409 `purchasing.asn_already_received`."""
    body = body or ReceiveIn()
    counted = _quantities(body.lines) if body.lines is not None else None
    return hub.handle(ReceiveAsn(actor=actor, asn_id=str(asn_id), counted=counted, reason=body.reason))


@router.get("/discrepancies", response_model=DiscrepanciesOut)
def list_discrepancies(actor: Reader, hub: HubDep, state: Annotated[list[str] | None, Query()] = None) -> dict:
    with hub.uow(write=False) as uow:
        return {"discrepancies": queries.list_discrepancies(uow.connection, actor.tenant_id,
                                                            partner_id=actor.partner_id,
                                                            states=tuple(state) if state else ("open",))}


@router.post("/discrepancies/{discrepancy_id}/resolve", response_model=ResolvedOut)
def resolve(discrepancy_id: uuid.UUID, body: ResolveIn, actor: Writer, hub: HubDep) -> ResolvedOut:
    return hub.handle(ResolveDiscrepancy(actor=actor, discrepancy_id=str(discrepancy_id), resolution=body.resolution))


@router.get("/presale", response_model=PresalesOut)
def presale(actor: Annotated[Actor, Depends(allowed("brand.read"))], hub: HubDep,
            sku: Annotated[str | None, Query(max_length=64)] = None) -> dict:
    """Presale stock the open orders back per SKU and node, each order's units and promise date, and the date a
    unit sold now is promised for."""
    with hub.uow(write=False) as uow:
        return {"presale": queries.presale_view(uow.connection, actor.tenant_id, sku)}


@router.get("/portal", response_model=PortalOut)
def portal(actor: Supplier, hub: HubDep) -> dict:
    """The supplier's own SKUs: forecast, stock per node, on order and in transit; its open orders."""
    with hub.uow(write=False) as uow:
        return supplier_view(uow.connection, actor.tenant_id, supplier_scope(uow.connection, actor),
                             replenishment.forecast_by_node)


@router.get("/dropship", response_model=DropshipTasksOut)
def dropship_tasks(actor: Supplier, hub: HubDep) -> dict:
    """Drop-ship lines the supplier holds: the orders' parcels routed to its own nodes, each to acknowledge (it
    has the goods) and ship (with its waybill); the sender to print is the reseller for a reseller's order."""
    with hub.uow(write=False) as uow:
        supplier = supplier_scope(uow.connection, actor)
        return {"tasks": fulfillment.dropship_tasks(uow.connection, actor.tenant_id, supplier)}


@router.post("/dropship/{shipment_id}/acknowledge", response_model=DropshipTaskOut)
def acknowledge_dropship(shipment_id: uuid.UUID, actor: Supplier, hub: HubDep) -> dict:
    """The supplier has the goods and will ship them (the parcel is picked at its node)."""
    return dropship.acknowledge(hub, actor, shipment_id)


@router.post("/dropship/{shipment_id}/ship")
def ship_dropship(shipment_id: uuid.UUID, body: DropshipShipIn, actor: Supplier, hub: HubDep) -> dict:
    """The supplier handed the parcel to its carrier: packed and shipped with the waybill number it was given;
    the order and its channel are told as for any parcel."""
    return dropship.ship(hub, actor, shipment_id, body.waybill_number)


@router.post(ORDER + "/{step}", response_model=OrderOut)
def brand_step(order_id: uuid.UUID, step: BrandStep, actor: Writer, hub: HubDep) -> OrderOut:
    """The brand's steps: send, cancel, close, accept-change, reject-change (registered last, after the
    supplier's own steps on the same path)."""
    return hub.handle(ActOnOrder(actor=actor, order_id=str(order_id), action=step.replace("-", "_")))


def _quantities(lines: list) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines:
        found[line.sku] = found.get(line.sku, 0) + line.quantity
    return found

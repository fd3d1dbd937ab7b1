"""Shipment routes: create from a routed order, pick/pack/ship, pickup, tracking, the label, and the fixes the
exceptions queue points at (retry the waybill or the channel notice, cancel)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import FILE, ExportDep, PageFrame, PagingDep, exported, listed
from flexhub.fulfillment import queries
from flexhub.fulfillment.commands import (
    CancelShipment,
    CollectPickup,
    ConfirmPick,
    CreateCarrierAccount,
    CreateShipment,
    IssueWaybill,
    PackShipment,
    PollTracking,
    RecordTrackingEvent,
    ReshipLostShipment,
    RetryShipmentNotice,
    ShipShipment,
)
from flexhub.fulfillment.queries import shipment_list
from flexhub.fulfillment.schemas import CarrierAccountIn, CollectIn, PickIn, ShipIn, ShipmentIn, ShipmentOut, TrackingIn
from flexhub.fulfillment.shipment_export import shipment_columns
from flexhub.identity import shipment_as_seen_by
from flexhub.kernel.messages import Actor
from flexhub.shipping import packing_slips

router = APIRouter(tags=["fulfillment"])
Writer = Annotated[Actor, Depends(allowed("inventory.write"))]
Admin = Annotated[Actor, Depends(allowed("channels.write"))]
SHIPMENT = "/api/v1/shipments/{shipment_id}"


class ShipmentListOut(PageFrame):
    shipments: list[dict[str, Any]]


@router.get("/api/v1/shipments", response_model=ShipmentListOut)
def list_shipments(actor: Reader, hub: HubDep, paging: PagingDep,
                   state: Annotated[list[str] | None, Query(description="one or more states")] = None,
                   carrier: Annotated[str | None, Query(max_length=32)] = None,
                   node: Annotated[str | None, Query(max_length=64)] = None,
                   order_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Parcels a page at a time (a partner's key: those of its own orders, without the brand's nodes), newest first
    unless `sort` (created_at, shipped_at, state) says otherwise."""
    spec = shipment_list(actor.tenant_id, states=state or (), carrier=carrier, node=node, order_id=order_id,
                         partner_id=actor.partner_id)
    with hub.uow(write=False) as uow:
        return listed(uow.connection, spec, paging, "shipments")


@router.get("/api/v1/shipments/export", response_class=StreamingResponse, responses=FILE)
def export_shipments(actor: Reader, hub: HubDep, options: ExportDep,
                     state: Annotated[list[str] | None, Query(description="one or more states")] = None,
                     carrier: Annotated[str | None, Query(max_length=32)] = None,
                     node: Annotated[str | None, Query(max_length=64)] = None) -> StreamingResponse:
    """Every parcel the same filters as the list match, as CSV or an Excel workbook (`format`), streamed."""
    spec = shipment_list(actor.tenant_id, states=state or (), carrier=carrier, node=node, partner_id=actor.partner_id)
    return exported(hub, actor, spec, options, "shipments", shipment_columns)


@router.post("/api/v1/orders/{order_id}/shipments", status_code=201, response_model=ShipmentOut)
def create_shipment(order_id: uuid.UUID, body: ShipmentIn, actor: Writer, hub: HubDep) -> dict:
    """A shipment of a routed order's units at one node; with a carrier, its waybill is asked for at once."""
    lines = {line.line_no: line.quantity for line in body.lines} if body.lines is not None else None
    created = hub.handle(CreateShipment(actor=actor, order_id=str(order_id), node=body.node, lines=lines,
                                        carrier=body.carrier, service=body.service))
    if created.waybill_state == "pending":
        hub.waybills.issue(actor.tenant_id, created.id)  # outside the transaction; the job retries failures
    return {**_view(hub, actor, created.id), "pickup_code": created.pickup_code}


@router.get(SHIPMENT, response_model=ShipmentOut)
def get_shipment(shipment_id: uuid.UUID, actor: Reader, hub: HubDep) -> dict:
    return _view(hub, actor, shipment_id)


@router.get(f"{SHIPMENT}/label", responses={200: {"content": {"application/pdf": {}}}, 307: {}})
def get_label(shipment_id: uuid.UUID, actor: Reader, hub: HubDep) -> Response:
    """The label as PDF, or a redirect to the carrier's copy."""
    _view(hub, actor, shipment_id)
    with hub.uow(write=False) as uow:
        found = queries.label(uow.connection, actor.tenant_id, shipment_id)
    if isinstance(found, str):  # the carrier's URL
        return RedirectResponse(found, status_code=307)
    return Response(found, media_type="application/pdf")


@router.post(f"{SHIPMENT}/pick", response_model=ShipmentOut)
def pick(shipment_id: uuid.UUID, actor: Writer, hub: HubDep, body: PickIn | None = None) -> dict:
    """Confirm the pick; SKUs short-picked cancel the shipment and re-route the order without this node."""
    hub.handle(ConfirmPick(actor=actor, shipment_id=str(shipment_id), short=(body or PickIn()).short))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/pack", response_model=ShipmentOut)
def pack(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    hub.handle(PackShipment(actor=actor, shipment_id=str(shipment_id)))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/ship", response_model=ShipmentOut)
def ship(shipment_id: uuid.UUID, actor: Writer, hub: HubDep, body: ShipIn | None = None) -> dict:
    number = (body or ShipIn()).waybill_number
    hub.handle(ShipShipment(actor=actor, shipment_id=str(shipment_id), waybill_number=number))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/collect", response_model=ShipmentOut)
def collect(shipment_id: uuid.UUID, body: CollectIn, actor: Writer, hub: HubDep) -> dict:
    hub.handle(CollectPickup(actor=actor, shipment_id=str(shipment_id), code=body.code))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/tracking", response_model=ShipmentOut)
def tracking(shipment_id: uuid.UUID, body: TrackingIn, actor: Writer, hub: HubDep) -> dict:
    hub.handle(RecordTrackingEvent(actor=actor, shipment_id=str(shipment_id), state=body.state,
                                   at=body.at.isoformat() if body.at else None, description=body.description))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/poll", response_model=ShipmentOut)
def poll(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    """Ask the carrier for the tracking now (a parcel silent too long, a failed delivery)."""
    hub.handle(PollTracking(actor=actor, shipment_id=str(shipment_id)))
    hub.tracker.poll_shipment(actor.tenant_id, shipment_id)  # outside the transaction; the job retries failures
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/lost", response_model=ShipmentOut)
def reship_lost(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    """The carrier lost the parcel: write it off and ship the same units again; answers the replacement."""
    done = hub.handle(ReshipLostShipment(actor=actor, shipment_id=str(shipment_id)))
    replacement = done.replacement
    if replacement.waybill_state == "pending":
        hub.waybills.issue(actor.tenant_id, replacement.id)  # outside the transaction; the job retries failures
    return _view(hub, actor, replacement.id)


@router.post(f"{SHIPMENT}/cancel", response_model=ShipmentOut)
def cancel(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    hub.handle(CancelShipment(actor=actor, shipment_id=str(shipment_id)))
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/waybill", response_model=ShipmentOut)
def retry_waybill(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    """Ask the carrier again (after a carrier error)."""
    hub.handle(IssueWaybill(actor=actor, shipment_id=str(shipment_id)))
    hub.waybills.issue(actor.tenant_id, shipment_id)
    return _view(hub, actor, shipment_id)


@router.post(f"{SHIPMENT}/notice", response_model=ShipmentOut)
def retry_notice(shipment_id: uuid.UUID, actor: Writer, hub: HubDep) -> dict:
    """Send the parked "shipped" notice to the channel again."""
    hub.handle(RetryShipmentNotice(actor=actor, shipment_id=str(shipment_id)))
    return _view(hub, actor, shipment_id)


@router.post("/api/v1/carrier-accounts", status_code=201)
def create_carrier_account(body: CarrierAccountIn, actor: Admin, hub: HubDep) -> dict:
    """A carrier account for one node or every node; the credentials are sealed and never returned."""
    created = hub.handle(CreateCarrierAccount(actor=actor, carrier=body.carrier, node=body.node,
                                              credentials=body.credentials))
    return {"id": str(created.id), "carrier": body.carrier, "node": body.node}


@router.get(f"{SHIPMENT}/packing-slip", responses={200: {"content": {"application/pdf": {}}}})
def get_packing_slip(shipment_id: uuid.UUID, actor: Reader, hub: HubDep) -> Response:
    """The packing slip as PDF (A6): for a reseller's order its name, phone and logo and nothing of the brand
    (blind drop-ship); the order's number, the recipient and the units inside, without prices."""
    with hub.uow(write=False) as uow:
        slip = queries.packing_slip(uow.connection, actor.tenant_id, shipment_id, partner_id=actor.partner_id)
    return Response(packing_slips.render(slip), media_type="application/pdf")


def _view(hub: HubDep, actor: Actor, shipment_id: uuid.UUID) -> dict:
    """The parcel as the actor's role may see it (a partner's: blind, no node of the brand)."""
    with hub.uow(write=False) as uow:
        found = queries.shipment_view(uow.connection, actor.tenant_id, shipment_id, partner_id=actor.partner_id)
    return shipment_as_seen_by(actor.role, found)

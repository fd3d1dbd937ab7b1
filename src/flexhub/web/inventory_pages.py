"""Inventory pages beyond the heatmap: a SKU's levels, pools, reservations, ledger and per-channel figures;
transfers between nodes (list, create, receive). Writes need `inventory.write`, refused with 403 otherwise."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from flexhub.api.auth import HubDep
from flexhub.channels import queries as channel_queries
from flexhub.identity.queries import partner_by_id
from flexhub.identity.roles import may
from flexhub.inventory import queries as stock_figures
from flexhub.inventory.commands import CreateTransfer, ReceiveTransfer, TransferLineSpec
from flexhub.inventory.errors import InvalidQuantity
from flexhub.inventory.queries import levels_for_sku
from flexhub.inventory.rules import consigned_pool
from flexhub.kernel.errors import FlexhubError, Forbidden
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_queries
from flexhub.web.render import page
from flexhub.web.session import WebActor, require

router = APIRouter(include_in_schema=False)
TRANSFER_LINES = 3  # empty line rows the create form offers


@router.get("/inventory/{sku}", response_class=HTMLResponse)
def sku_page(sku: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        levels = levels_for_sku(uow.connection, actor.tenant_id, sku)
        listings = channel_figures_for(uow.connection, actor, sku)
        if actor.partner_id is None:
            ledger = stock_figures.ledger_of(uow.connection, actor.tenant_id, sku)
            held = stock_figures.reservations_of(uow.connection, actor.tenant_id, sku)
        else:  # a partner sees its own orders only: the holds of everyone's orders are not for it
            shown = channel_queries.pools_for_partner(uow.connection, actor.tenant_id, actor.partner_id)
            levels = {**levels, "levels": [lv for lv in levels["levels"] if lv["pool"] in shown]}  # as in the API
            ledger = _partner_ledger(uow.connection, actor.tenant_id, actor.partner_id, sku, shown)
            held = []
    pools = stock_figures.pools_by_node(levels["levels"])
    if not may_see_nodes(actor):  # its pools' stock, every node's added up: no node of the brand's named
        levels = {**levels, "levels": stock_figures.levels_by_pool(levels["levels"])}
        ledger = [{**m, "node": None} for m in ledger]
        pools = stock_figures.pools_by_node(levels["levels"])  # one row: every node together
    return page(request, "sku.html", actor, sku=sku, levels=levels, ledger=ledger, reservations=held,
                pools=pools, listings=listings)


def may_see_nodes(actor: Actor) -> bool:
    """Whether the actor's pages may name the brand's nodes (staff; not a partner: identity.masking)."""
    return may(actor.role, "nodes.read")


def _partner_ledger(connection: Connection, tenant_id: uuid.UUID, partner_id: uuid.UUID, sku: str,
                    pools: set[str]) -> list[dict]:
    """Of the pools its channels sell from: the movements of its own orders, and the stock consigned to it coming
    and going, without the brand's documents (whose order, whose purchase) or who moved it."""
    partner = partner_by_id(connection, tenant_id, partner_id)
    consigned = consigned_pool(partner.code) if partner is not None else None
    ledger = stock_figures.ledger_of(connection, tenant_id, sku, pools=pools)
    mine = order_queries.orders_of_partner(connection, tenant_id, partner_id, [m["reference"] for m in ledger])
    return [m if m["reference"] in mine else {**m, "actor": "", "reason": "", "reference": None}
            for m in ledger if m["reference"] in mine or m["pool"] == consigned]


def channel_figures_for(connection: Connection, actor: Actor, sku: str) -> list[dict]:
    """Each channel listing of the SKU: what it should show (available to sell) and what the platform confirmed."""
    codes = channel_queries.channel_codes(connection, actor.tenant_id, actor.partner_id)
    return [{"channel": code, **listing} for code in codes
            for listing in channel_queries.sync_status(connection, actor.tenant_id, code) if listing["sku"] == sku]


@router.get("/transfers", response_class=HTMLResponse)
def transfers(request: Request, actor: WebActor, hub: HubDep, state: str | None = None) -> HTMLResponse:
    require_own_staff(actor)
    return _transfers_page(request, actor, hub, state=state or None)


@router.post("/transfers")
def create_transfer(request: Request, actor: WebActor, hub: HubDep, from_location: Annotated[str, Form()],
                    to_location: Annotated[str, Form()], sku: Annotated[list[str], Form()],
                    quantity: Annotated[list[str], Form()], pool: Annotated[str, Form()] = "spot",
                    reference: Annotated[str, Form()] = ""):
    require_own_staff(actor)
    require(actor, "inventory.write")
    try:
        lines = _lines(sku, quantity, pool.strip() or "spot")
        hub.handle(CreateTransfer(actor=actor, from_location=from_location, to_location=to_location, lines=lines,
                                  reference=reference.strip()[:120] or None))
    except FlexhubError as error:  # shown on the form, with the error's own status; nothing was written
        return _transfers_page(request, actor, hub, error=error, status_code=error.status)
    return RedirectResponse("/transfers", status_code=303)


@router.post("/transfers/{transfer_id}/receive")
def receive_transfer(transfer_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep):
    require_own_staff(actor)
    require(actor, "inventory.write")
    try:
        hub.handle(ReceiveTransfer(actor=actor, transfer_id=str(transfer_id)))
    except FlexhubError as error:
        return _transfers_page(request, actor, hub, error=error, status_code=error.status)
    return RedirectResponse("/transfers", status_code=303)


def require_own_staff(actor: Actor) -> None:
    """Transfers move the brand's own stock between its nodes: not a partner's business."""
    if actor.partner_id is not None:
        raise Forbidden("a partner does not see the brand's transfers")


def _lines(skus: list[str], quantities: list[str], pool: str) -> list[TransferLineSpec]:
    lines = []
    for sku, quantity in zip(skus, quantities, strict=False):
        if not sku.strip() and not quantity.strip():
            continue  # an empty row of the form
        if not quantity.strip().isdigit() or int(quantity) <= 0:
            raise InvalidQuantity(f"the quantity of {sku.strip() or 'a line'} must be a whole number above 0")
        lines.append(TransferLineSpec(sku=sku.strip(), quantity=int(quantity), pool=pool))
    return lines


def _transfers_page(request: Request, actor: Actor, hub: HubDep, *, state: str | None = None,
                    error: FlexhubError | None = None, status_code: int = 200) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        found = stock_figures.transfers(uow.connection, actor.tenant_id, state=state)
        nodes = stock_figures.location_codes(uow.connection, actor.tenant_id)
        on_the_road = stock_figures.units_in_transit(uow.connection, actor.tenant_id)
    return page(request, "transfers.html", actor, transfers=found, nodes=nodes, state=state, in_transit=on_the_road,
                error=error, empty_lines=range(TRANSFER_LINES), status_code=status_code)

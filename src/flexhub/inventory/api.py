"""Inventory routes: /api/v1/inventory (a contract: paths and bodies stay stable)."""

import uuid
from dataclasses import asdict, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from flexhub import filters
from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.api.listing import FILE, ExportDep, PageFrame, PagingDep, exported, listed
from flexhub.channels import pools_for_partner
from flexhub.identity import may
from flexhub.inventory import commands
from flexhub.inventory.queries import levels_by_pool, levels_for_sku, location_list
from flexhub.inventory.schemas import (
    AdjustmentIn,
    CountIn,
    LevelOut,
    LevelsOut,
    LocationIn,
    LocationOut,
    SafetyStockIn,
    SafetyStockOut,
    TransferIn,
    TransferOut,
)
from flexhub.inventory.stock_export import stock_columns
from flexhub.inventory.stock_queries import stock_list
from flexhub.kernel.messages import Actor

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])
Writer = Annotated[Actor, Depends(allowed("inventory.write"))]


class LocationListOut(PageFrame):
    locations: list[dict[str, Any]]


@router.get("/locations", response_model=LocationListOut)
def list_locations(actor: Reader, hub: HubDep, paging: PagingDep,
                   kind: Annotated[str | None, Query(max_length=16, description="central, regional, store, …")]
                   = None,
                   q: Annotated[str | None, Query(min_length=1, max_length=64)] = None) -> dict[str, Any]:
    """The nodes a page at a time, by code unless `sort` (code, name, priority, created_at) says otherwise."""
    with hub.uow(write=False) as uow:
        return listed(uow.connection, location_list(actor.tenant_id, kind=kind, text=q), paging, "locations")


@router.post("/locations", status_code=201, response_model=LocationOut)
def create_location(body: LocationIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    created: commands.LocationCreated = hub.handle(commands.CreateLocation(actor=actor, **body.model_dump()))
    return {**asdict(created), "id": str(created.id)}


@router.post("/adjustments", status_code=201, response_model=LevelOut)
def adjust(body: AdjustmentIn, actor: Writer, hub: HubDep) -> commands.LevelFigures:
    figures: commands.LevelFigures = hub.handle(commands.AdjustStock(actor=actor, **body.model_dump()))
    return figures


@router.post("/counts", status_code=201, response_model=LevelOut)
def count(body: CountIn, actor: Writer, hub: HubDep) -> commands.LevelFigures:
    figures: commands.LevelFigures = hub.handle(commands.CountStock(actor=actor, **body.model_dump()))
    return figures


class BinsIn(BaseModel):
    bins: dict[str, str] = Field(description="SKU code → its bin at the node", max_length=2000)


@router.put("/locations/{code}/bins")
def assign_bins(code: str, body: BinsIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    """Where SKUs sit at a node; picking lists walk in bin order. Nothing written for an unknown SKU (404
    `catalog.unknown_sku`) or node (404 `inventory.unknown_location`), or a bin empty or over 32 characters (422)."""
    return {"location": code, "assigned": hub.handle(commands.AssignBins(actor=actor, location=code, bins=body.bins))}


@router.put("/safety-stock", response_model=SafetyStockOut)
def set_safety_stock(body: SafetyStockIn, actor: Writer, hub: HubDep) -> commands.SafetyStockSet:
    safety: commands.SafetyStockSet = hub.handle(commands.SetSafetyStock(actor=actor, **body.model_dump()))
    return safety


@router.post("/transfers", status_code=201, response_model=TransferOut)
def create_transfer(body: TransferIn, actor: Writer, hub: HubDep) -> dict[str, Any]:
    lines = [commands.TransferLineSpec(**line.model_dump()) for line in body.lines]
    created = hub.handle(commands.CreateTransfer(
        actor=actor, from_location=body.from_location, to_location=body.to_location, lines=lines,
        reference=body.reference))
    return {"id": str(created.id), "state": created.state}


@router.post("/transfers/{transfer_id}/receive", response_model=TransferOut)
def receive_transfer(transfer_id: str, actor: Writer, hub: HubDep) -> dict[str, Any]:
    received = hub.handle(commands.ReceiveTransfer(actor=actor, transfer_id=transfer_id))
    return {"id": str(received.id), "state": received.state}


class StockLevelListOut(PageFrame):
    levels: list[dict[str, Any]]


StockWords = Annotated[str | None, Query(max_length=64, description=(
    "words, any case and order, each found in the SKU's code, name or barcode"))]
StockNode = Annotated[str | None, Query(max_length=64, description="one node's code")]


SavedFilterId = Annotated[uuid.UUID | None, Query(description=(
    "a saved filter of the stock list (/api/v1/saved-filters) by its id; `q`, `node` and `sort` given beside it win "
    "over its own. 404 filters.unknown_filter for one the caller does not see, 422 filters.another_list for one "
    "saved for another list"))]


@router.get("/stock-levels", response_model=StockLevelListOut)
def list_stock_levels(actor: Reader, hub: HubDep, paging: PagingDep, q: StockWords = None,
                      node: StockNode = None, filter: SavedFilterId = None) -> dict[str, Any]:  # noqa: A002
    """Every stock level (SKU × node × pool) a page at a time, by SKU unless `sort` (sku, node, on_hand) says
    otherwise; a partner's key gets the pools its channels sell from. `filter` applies a saved filter by its id."""
    with hub.uow(write=False) as uow:
        asked = filters.applied(uow.connection, actor, "stock", filter, {"q": q, "node": node, "sort": paging.sort})
        spec = stock_list(actor.tenant_id, pools=stock_pools(uow.connection, actor), text=asked.get("q"),
                          node=asked.get("node"), blind=not may(actor.role, "nodes.read"))
        return listed(uow.connection, spec, replace(paging, sort=asked.get("sort")), "levels")


@router.get("/levels/export", response_class=StreamingResponse, responses=FILE)
def export_levels(actor: Reader, hub: HubDep, options: ExportDep, q: StockWords = None,
                  node: StockNode = None, filter: SavedFilterId = None) -> StreamingResponse:  # noqa: A002
    """Every stock level (SKU × node × pool) as CSV or an Excel workbook (`format`), streamed; a partner's key gets
    the pools its channels sell from. `filter` applies a saved filter by its id, as the list does."""
    with hub.uow(write=False) as uow:
        pools = stock_pools(uow.connection, actor)
        asked = filters.applied(uow.connection, actor, "stock", filter, {"q": q, "node": node, "sort": options.sort})
    spec = stock_list(actor.tenant_id, pools=pools, text=asked.get("q"), node=asked.get("node"),
                      blind=not may(actor.role, "nodes.read"))
    return exported(hub, actor, spec, replace(options, sort=asked.get("sort")), "stock", stock_columns)


def stock_pools(connection: Connection, actor: Actor) -> set[str] | None:
    """The pools the stock levels list and its export show (the API's and the inventory page's): every pool for
    staff (None), the pools its channels sell from for a partner."""
    return None if actor.partner_id is None else pools_for_partner(connection, actor.tenant_id, actor.partner_id)


@router.get("/levels", response_model=LevelsOut)
def levels(actor: Reader, hub: HubDep, sku: Annotated[str, Query(min_length=1, max_length=64)]) -> dict[str, Any]:
    """The SKU's stock per node and pool; a partner gets the pools its channels sell from, each added up over the
    nodes, which it is not told (`location` null)."""
    with hub.uow(write=False) as uow:
        found = levels_for_sku(uow.connection, actor.tenant_id, sku)
        if actor.partner_id is not None:  # a partner sees only the pools its channels sell from
            visible = pools_for_partner(uow.connection, actor.tenant_id, actor.partner_id)
            found["levels"] = [lv for lv in found["levels"] if lv["pool"] in visible]
    if not may(actor.role, "nodes.read"):
        found["levels"] = levels_by_pool(found["levels"])
    return found



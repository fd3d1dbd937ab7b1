"""The other lists downloaded from their pages, whole, as CSV or Excel (the orders': web/order_pages.py): stock
levels from the inventory page, parcels and returns from the orders page, purchase orders from the purchasing page
and the exceptions queue from its page. Each is the list its API exports, seen as the signed-in person sees it,
with its times on the page's clock."""

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from flexhub.api.auth import HubDep
from flexhub.api.exception_export import exception_columns, exception_items
from flexhub.api.exceptions import open_work
from flexhub.bootstrap import Hub
from flexhub.fulfillment.queries import shipment_list
from flexhub.fulfillment.shipment_export import shipment_columns
from flexhub.identity.roles import may
from flexhub.inventory.api import stock_pools
from flexhub.inventory.stock_export import stock_columns
from flexhub.inventory.stock_queries import stock_list
from flexhub.lists import Column, ListSpec, every_row, export_table
from flexhub.purchasing.order_export import purchase_order_columns
from flexhub.purchasing.queries import purchase_order_list
from flexhub.returns.queries import return_list
from flexhub.returns.return_export import return_columns
from flexhub.web.labels import zone_of
from flexhub.web.session import WebActor

router = APIRouter(include_in_schema=False)
Columns = Callable[[ZoneInfo], Sequence[Column]]
EXCEPTIONS_KEPT = 500  # of each kind, as the API's most


@router.get("/inventory/export.{format}")
def export_stock(format: str, request: Request, actor: WebActor, hub: HubDep, q: str = "",
                 node: str = "") -> StreamingResponse:
    with hub.uow(write=False) as uow:
        pools = stock_pools(uow.connection, actor)
    spec = stock_list(actor.tenant_id, pools=pools, text=q.strip()[:64] or None, node=node.strip() or None,
                      blind=not may(actor.role, "nodes.read"))
    return _exported(request, hub, spec, format, "stock", stock_columns)


@router.get("/shipments/export.{format}")
def export_shipments(format: str, request: Request, actor: WebActor, hub: HubDep,
                     state: str = "") -> StreamingResponse:
    spec = shipment_list(actor.tenant_id, states=(state,) if state else (), partner_id=actor.partner_id)
    return _exported(request, hub, spec, format, "shipments", shipment_columns)


@router.get("/returns/export.{format}")
def export_returns(format: str, request: Request, actor: WebActor, hub: HubDep,
                   state: str = "") -> StreamingResponse:
    spec = return_list(actor.tenant_id, states=(state,) if state else (), partner_id=actor.partner_id)
    return _exported(request, hub, spec, format, "returns", return_columns)


@router.get("/purchasing/export.{format}")
def export_purchase_orders(format: str, request: Request, actor: WebActor, hub: HubDep,
                           state: str = "") -> StreamingResponse:
    spec = purchase_order_list(actor.tenant_id, partner_id=actor.partner_id, states=[state] if state else None)
    return _exported(request, hub, spec, format, "purchase-orders", purchase_order_columns)


@router.get("/exceptions/export.{format}")
def export_exceptions(format: str, request: Request, actor: WebActor, hub: HubDep) -> StreamingResponse:
    with hub.uow(write=False) as uow:
        found = open_work(uow.connection, actor, EXCEPTIONS_KEPT)
    return export_table(format, "exceptions", exception_columns(zone_of(request)), exception_items(found))


def _exported(request: Request, hub: Hub, spec: ListSpec, format: str, name: str,
              columns: Columns) -> StreamingResponse:
    spec.sort_order(None)
    return export_table(format, name, columns(zone_of(request)), every_row(hub.engine.connect, spec, sort=None))

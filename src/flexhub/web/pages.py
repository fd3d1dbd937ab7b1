"""Dashboard pages: sign-in, overview, inventory, orders, channels, exceptions; actions by role."""

import uuid
from collections.abc import Collection
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import Connection

from flexhub import cleaning, filters
from flexhub.api.auth import HubDep, request_id
from flexhub.api.exceptions import dead_letters
from flexhub.channels import dashboard as channel_figures
from flexhub.channels import polling
from flexhub.channels import queries as channel_queries
from flexhub.channels.commands import RetryChannelException, RetryDeadLetters
from flexhub.erp import queries as erp_queries
from flexhub.fulfillment import queries as shipment_queries
from flexhub.fulfillment.commands import RetryShipmentNotice
from flexhub.identity.commands import SignInUser
from flexhub.identity.errors import InvalidCredentials, InvalidKey
from flexhub.identity.queries import partner_by_id
from flexhub.inventory import queries as stock_figures
from flexhub.inventory.api import stock_pools
from flexhub.inventory.stock_queries import stock_list
from flexhub.kernel.errors import ValidationFailed
from flexhub.lists import page_of
from flexhub.notifications import RetryDelivery
from flexhub.ordering import queries as order_queries
from flexhub.ordering.commands import CancelOrder
from flexhub.purchasing import queries as purchasing_queries
from flexhub.resellers import queries as reseller_queries
from flexhub.sync import reconcile
from flexhub.web.inventory_pages import may_see_nodes
from flexhub.web.render import page
from flexhub.web.saved_filter_pages import filter_bar
from flexhub.web.session import WebActor, end_session, local_path, require, start_session

router = APIRouter(include_in_schema=False)
Back = Annotated[str, Form(max_length=300)]  # the page to go back to (this site's only)
STOCK_PAGE = 50


@router.get("/login", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=next)


@router.post("/login")
def sign_in(request: Request, hub: HubDep, api_key: Annotated[str, Form()] = "", login: Annotated[str, Form()] = "",
            password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    """A key (field `api_key`, which outside tools fill in) or a login and password: either starts a session kept
    on the server, whose random id is all the cookie holds."""
    if api_key.strip() or not login.strip():
        try:
            key = hub.keyring.key_for(api_key.strip())
        except InvalidKey:
            return page(request, "login.html", next=next, error="key", status_code=401)
        start_session(request, hub, tenant_id=key.tenant_id, api_key_id=key.id)
    else:
        guard, client = request.app.state.sign_in_guard, request.client.host if request.client else "-"
        if wait_s := guard.blocked_for_s(client):
            return page(request, "login.html", next=next, error="busy", wait_minutes=int(wait_s // 60) + 1,
                        login=login, status_code=429)
        try:
            signed_in = hub.handle(SignInUser(login=login, password=password, request_id=request_id(request)))
        except InvalidCredentials:
            guard.failed(client)
            return page(request, "login.html", next=next, error="user", login=login, status_code=401)
        start_session(request, hub, tenant_id=signed_in.actor.tenant_id, user_id=signed_in.user_id)
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
def sign_out(request: Request, hub: HubDep) -> RedirectResponse:
    """The session is revoked on the server: a copy of the cookie signs nobody in after this."""
    end_session(request, hub)
    return RedirectResponse("/login", status_code=303)


@router.get("/", response_model=None)
def overview(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse | RedirectResponse:
    """The brand's overview for its staff; a reseller's own (its orders, pools and account); a supplier's home is
    its portal."""
    own = None
    if actor.partner_id is not None:
        with hub.uow(write=False) as uow:
            partner = partner_by_id(uow.connection, actor.tenant_id, actor.partner_id)
            if partner is not None and partner.kind == "supplier":
                return RedirectResponse("/supplier", status_code=303)
            if partner is not None and partner.kind == "reseller":
                own = reseller_queries.account(uow.connection, actor.tenant_id, partner)
    return page(request, "overview.html", actor, own_account=own, **overview_figures(hub, actor))


@router.get("/inventory", response_class=HTMLResponse)
def inventory(request: Request, actor: WebActor, hub: HubDep, q: str = "", node: str = "", sort: str = "",
              cursor: str = "", filter: uuid.UUID | None = None) -> HTMLResponse:  # noqa: A002 (the address's word)
    """The heatmap and health figures, and every stock level a page at a time: words of a SKU's code, name or
    barcode, a node, a sort; the filters saved under a name (`filter`: one applied by its id, as the API does)."""
    with hub.uow(write=False) as uow:
        query = filters.applied(uow.connection, actor, "stock", filter, {"q": q[:64], "node": node[:64], "sort": sort})
        form = {name: query.get(name, "") for name in ("q", "node", "sort")}
        pools = pools_shown(uow.connection, actor)
        # a partner sees the stock of its pools, not which of the brand's nodes holds it
        heat = stock_figures.heatmap(uow.connection, actor.tenant_id, pools=pools, by_pool=not may_see_nodes(actor))
        health = stock_figures.stock_health(uow.connection, actor.tenant_id, pools)
        bar = filter_bar(uow.connection, actor, "stock", query, filter)
        spec = stock_list(actor.tenant_id, pools=stock_pools(uow.connection, actor), text=form["q"] or None,
                          node=form["node"] or None, blind=not may_see_nodes(actor))
        try:
            found = page_of(uow.connection, spec, sort=form["sort"] or None, cursor=cursor or None, limit=STOCK_PAGE)
        except ValidationFailed as error:
            return page(request, "inventory.html", actor, heat=heat, health=health, bar=bar, form=form, levels=[],
                        total=0, error=error, next_url=None, first_url=None, status_code=error.status)
    next_url = f"/inventory?{urlencode({**query, 'cursor': found.next_cursor})}" if found.next_cursor else None
    return page(request, "inventory.html", actor, heat=heat, health=health, bar=bar, form=form, levels=found.items,
                total=found.total, error=None, near=found.near, next_url=next_url, export_query=urlencode(query),
                first_url=f"/inventory?{urlencode(query)}" if cursor else None)


# A SKU's page and the transfers: web/inventory_pages.py; the orders and an order's page: web/order_pages.py.


@router.post("/orders/{order_id}/cancel")
def cancel(order_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "orders.write")
    hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason="cancelled from the dashboard"))
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.get("/channels", response_class=HTMLResponse)
def channels(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        figures = channel_figures.channel_page(uow.connection, actor.tenant_id, hub.pusher, partner_id=actor.partner_id)
    return page(request, "channels.html", actor, **figures)


@router.post("/channels/{code}/reconcile")
def reconcile_channel(code: str, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "channels.write")
    reconcile.reconcile_channel(hub, polling.channel_by_code(hub, actor.tenant_id, code), actor)
    return RedirectResponse("/channels", status_code=303)


@router.post("/channels/{code}/dead-letters/retry")
def retry_dead_letters(code: str, actor: WebActor, hub: HubDep, back: Back = "/channels") -> RedirectResponse:
    _require(actor, "channels.write")
    hub.handle(RetryDeadLetters(actor=actor, channel=code))
    return RedirectResponse(local_path(back), status_code=303)


@router.get("/exceptions", response_class=HTMLResponse)
def exceptions(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        waiting = order_queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                            statuses=["awaiting_stock", "exception", "on_hold"], limit=200)
        messages = channel_queries.open_exceptions(uow.connection, actor.tenant_id, partner_id=actor.partner_id)
        shipments = [] if actor.partner_id else shipment_queries.shipment_problems(uow.connection, actor.tenant_id)
        holds = cleaning.holds_of(uow.connection, actor.tenant_id,
                                  [uuid.UUID(str(o["id"])) for o in waiting if o["status"] == "on_hold"])
        receipts = purchasing_queries.list_discrepancies(uow.connection, actor.tenant_id,
                                                         partner_id=actor.partner_id)
        dead = dead_letters(uow.connection, actor, 200)
        erp = [] if actor.partner_id else erp_queries.failures(uow.connection, actor.tenant_id)
    return page(request, "exceptions.html", actor, orders=waiting, messages=messages, shipments=shipments,
                holds=holds, receipts=receipts, erp=erp, dead=dead)


@router.post("/exceptions/{exception_id}/retry")
def retry_exception(exception_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "channels.write")
    hub.handle(RetryChannelException(actor=actor, exception_id=str(exception_id)))
    hub.inbound_arrived.set()
    return RedirectResponse("/exceptions", status_code=303)


@router.post("/exceptions/deliveries/{delivery_id}/retry")
def retry_delivery(delivery_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "notifications.write")
    hub.handle(RetryDelivery(actor=actor, delivery_id=str(delivery_id)))
    return RedirectResponse("/exceptions", status_code=303)


@router.post("/exceptions/shipments/{shipment_id}/notice")
def retry_shipment_notice(shipment_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "inventory.write")
    hub.handle(RetryShipmentNotice(actor=actor, shipment_id=str(shipment_id)))
    return RedirectResponse("/exceptions", status_code=303)


def overview_figures(hub: HubDep, actor: WebActor) -> dict:
    """The overview's figures (and the live stream's): the tenant's for staff; a partner's own orders, channels and
    pools, and for a reseller the sales curve all sellers share, from which no single seller can be read."""
    with hub.uow(write=False) as uow:
        c, tenant_id, partner_id = uow.connection, actor.tenant_id, actor.partner_id
        partner = partner_by_id(c, tenant_id, partner_id) if partner_id is not None else None
        reseller = partner is not None and partner.kind == "reseller"
        return {
            "flow": order_queries.orders_per_minute(c, tenant_id, partner_id=partner_id, shared=reseller),
            "statuses": order_queries.status_counts(c, tenant_id, partner_id),
            "health": stock_figures.stock_health(c, tenant_id, pools_shown(c, actor)),
            "lag": channel_figures.sync_lag_ms(c, tenant_id, partner_id),
            "exceptions": open_work_count(c, actor),
        }


WAITING_STATUSES = ("awaiting_stock", "exception", "on_hold")
COUNT_ALL = 100_000  # the lists' limits, lifted: the tile counts every item GET /api/v1/exceptions can list


def open_work_count(connection: Connection, actor: WebActor) -> int:
    """Everything GET /api/v1/exceptions lists for this actor (orders waiting, channel messages, shipment problems,
    receipts that differed, ERP failures, dead letters), counted alike: the overview's tile and the queue never
    disagree."""
    tenant_id, partner_id = actor.tenant_id, actor.partner_id
    statuses = order_queries.status_counts(connection, tenant_id, partner_id)
    shipments = [] if partner_id else shipment_queries.shipment_problems(connection, tenant_id, limit=COUNT_ALL)
    return (sum(statuses.get(status, 0) for status in WAITING_STATUSES)
            + len(channel_queries.open_exceptions(connection, tenant_id, COUNT_ALL, partner_id=partner_id))
            + len(shipments)
            + len(purchasing_queries.list_discrepancies(connection, tenant_id, partner_id=partner_id,
                                                        limit=COUNT_ALL))
            + (0 if partner_id else len(erp_queries.failures(connection, tenant_id, limit=COUNT_ALL)))
            + sum(len(kind) for kind in dead_letters(connection, actor, COUNT_ALL).values()))


def pools_shown(connection: Connection, actor: WebActor) -> Collection[str]:
    """The pools the stock figures cover: the spot pool for staff, the pools its channels sell from for a partner."""
    if actor.partner_id is None:
        return stock_figures.SPOT
    return channel_queries.pools_for_partner(connection, actor.tenant_id, actor.partner_id)


def _require(actor: WebActor, permission: str) -> None:
    require(actor, permission)

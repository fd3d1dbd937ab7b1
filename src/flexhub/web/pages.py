"""Dashboard pages: sign-in, overview, inventory, orders, channels, exceptions; actions by role."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from flexhub.api.auth import HubDep
from flexhub.channels import dashboard as channel_figures
from flexhub.channels import operations
from flexhub.channels import queries as channel_queries
from flexhub.identity.errors import InvalidKey
from flexhub.identity.roles import may
from flexhub.inventory import dashboard as stock_figures
from flexhub.inventory.queries import levels_for_sku
from flexhub.kernel.errors import Forbidden
from flexhub.ordering import dashboard as order_figures
from flexhub.ordering import queries as order_queries
from flexhub.ordering.commands import CancelOrder
from flexhub.routing.errors import NoDecision
from flexhub.routing.queries import decision_view
from flexhub.web.render import page
from flexhub.web.session import WebActor, local_path

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", next=next)


@router.post("/login")
def sign_in(request: Request, hub: HubDep, api_key: Annotated[str, Form()], next: Annotated[str, Form()] = "/"):
    try:
        hub.keyring.actor_for(api_key.strip())
    except InvalidKey:
        return page(request, "login.html", next=next, error=True, status_code=401)
    request.session["api_key"] = api_key.strip()
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
def sign_out(request: Request) -> RedirectResponse:
    request.session.pop("api_key", None)
    return RedirectResponse("/login", status_code=303)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    return page(request, "overview.html", actor, **overview_figures(hub, actor))


@router.get("/inventory", response_class=HTMLResponse)
def inventory(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        heat = stock_figures.heatmap(uow.connection, actor.tenant_id)
        health = stock_figures.stock_health(uow.connection, actor.tenant_id)
    return page(request, "inventory.html", actor, heat=heat, health=health)


@router.get("/inventory/{sku}", response_class=HTMLResponse)
def sku_page(sku: str, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        levels = levels_for_sku(uow.connection, actor.tenant_id, sku)
        ledger = stock_figures.ledger_of(uow.connection, actor.tenant_id, sku)
    return page(request, "sku.html", actor, sku=sku, levels=levels, ledger=ledger)


@router.get("/orders", response_class=HTMLResponse)
def orders(request: Request, actor: WebActor, hub: HubDep, status: str | None = None,
           channel: str | None = None, external_id: str | None = None) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        found = order_queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                          channel=channel or None, external_id=external_id or None,
                                          statuses=[status] if status else None, limit=200)
    return page(request, "orders.html", actor, orders=found, status=status, channel=channel,
                external_id=external_id)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        order = order_queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
        try:
            decision = decision_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
        except NoDecision:
            decision = None
    return page(request, "order.html", actor, order=order, decision=decision)


@router.post("/orders/{order_id}/cancel")
def cancel(order_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "orders.write")
    hub.handle(CancelOrder(actor=actor, order_id=str(order_id), reason="cancelled from the dashboard"))
    return RedirectResponse(f"/orders/{order_id}", status_code=303)


@router.get("/channels", response_class=HTMLResponse)
def channels(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        rows = channel_figures.channel_overview(uow.connection, actor.tenant_id)
        lag = channel_figures.sync_lag_ms(uow.connection, actor.tenant_id)
    return page(request, "channels.html", actor, channels=rows, lag=lag)


@router.post("/channels/{code}/dead-letters/retry")
def retry_dead_letters(code: str, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "channels.write")
    with hub.uow() as uow:
        operations.retry_dead_letters(uow, actor, code)
        uow.commit()
    return RedirectResponse("/channels", status_code=303)


@router.get("/exceptions", response_class=HTMLResponse)
def exceptions(request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        waiting = order_queries.list_orders(uow.connection, actor.tenant_id, partner_id=actor.partner_id,
                                            statuses=["awaiting_stock", "exception", "on_hold"], limit=200)
        messages = [] if actor.partner_id else channel_queries.open_exceptions(uow.connection, actor.tenant_id)
    return page(request, "exceptions.html", actor, orders=waiting, messages=messages)


@router.post("/exceptions/{exception_id}/retry")
def retry_exception(exception_id: uuid.UUID, actor: WebActor, hub: HubDep) -> RedirectResponse:
    _require(actor, "channels.write")
    with hub.uow() as uow:
        operations.retry_exception(uow, actor, exception_id)
        uow.commit()
    hub.inbound_arrived.set()
    return RedirectResponse("/exceptions", status_code=303)


def overview_figures(hub: HubDep, actor: WebActor) -> dict:
    with hub.uow(write=False) as uow:
        return {
            "flow": order_figures.orders_per_minute(uow.connection, actor.tenant_id),
            "statuses": order_figures.status_counts(uow.connection, actor.tenant_id),
            "health": stock_figures.stock_health(uow.connection, actor.tenant_id),
            "lag": channel_figures.sync_lag_ms(uow.connection, actor.tenant_id),
            "exceptions": len(channel_queries.open_exceptions(uow.connection, actor.tenant_id)),
        }


def _require(actor: WebActor, permission: str) -> None:
    if not may(actor.role, permission):
        raise Forbidden(f"the {actor.role} role may not do this")

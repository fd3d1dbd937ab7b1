"""Order pages: the list a page at a time with its total (channel, status, words of the order number, a SKU, a
product name or the phone's ending, buyer's phone ending, dates; sorted as chosen; filters saved under a name),
exported whole as CSV or Excel; and an order's page with
its lines, reservations, routing decision, shipments with tracking, and the raw channel messages it came from.
Buyers' personal data is masked for roles without `personal_data.read`."""

import uuid
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from flexhub import filters
from flexhub.api.auth import HubDep
from flexhub.channels import queries as channel_queries
from flexhub.fulfillment import shipments_of
from flexhub.identity.masking import masked_payload, order_as_seen_by, readable_payload, shipment_as_seen_by
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.messages import Actor
from flexhub.lists import every_row, export_response, page_of
from flexhub.ordering import PhoneSearchForbidden
from flexhub.ordering import queries as order_figures
from flexhub.ordering import queries as order_queries
from flexhub.ordering.list_filters import search_of
from flexhub.ordering.order_export import export_header, export_row
from flexhub.ordering.queries import SORTS
from flexhub.routing.errors import NoDecision
from flexhub.routing.queries import decision_view, policy_view
from flexhub.web.labels import zone_of
from flexhub.web.render import page
from flexhub.web.saved_filter_pages import filter_bar
from flexhub.web.session import WebActor, can

router = APIRouter(include_in_schema=False)
STATUSES = ("received", "reserved", "awaiting_stock", "routed", "picking", "packed", "partially_shipped", "shipped",
            "delivered", "closed", "cancelled", "exception", "on_hold")
PAGE = 50


@router.get("/orders", response_class=HTMLResponse)
def orders(request: Request, actor: WebActor, hub: HubDep, status: str = "", channel: str = "", q: str = "",
           external_id: str = "", phone: str = "", since: str = "", until: str = "", sort: str = "",
           cursor: str = "", filter: uuid.UUID | None = None) -> HTMLResponse:  # noqa: A002 (the address's word)
    given = {"status": status, "channel": channel, "q": q, "external_id": external_id, "phone": phone,
             "since": since, "until": until, "sort": sort}
    with hub.uow(write=False) as uow:
        query = filters.applied(uow.connection, actor, "orders", filter, given)
        form = {name: query.get(name, "") for name in given}
        channels = channel_queries.channel_codes(uow.connection, actor.tenant_id, actor.partner_id)
        bar = filter_bar(uow.connection, actor, "orders", query, filter)
        try:
            spec = order_figures.order_list(actor.tenant_id, _search(actor, form, zone_of(request)))
            found = page_of(uow.connection, spec, sort=form["sort"] or None, cursor=cursor or None, limit=PAGE)
        except (ValidationFailed, PhoneSearchForbidden) as error:
            return page(request, "orders.html", actor, orders=[], total=0, form=form, statuses=STATUSES,
                        channels=channels, sorts=SORTS, error=error, next_url=None, first_url=None, bar=bar,
                        status_code=error.status)
    shown = [order_as_seen_by(actor.role, order) for order in found.items]
    next_url = f"/orders?{urlencode({**query, 'cursor': found.next_cursor})}" if found.next_cursor else None
    return page(request, "orders.html", actor, orders=shown, total=found.total, form=form, statuses=STATUSES,
                channels=channels, sorts=SORTS, error=None, near=found.near, next_url=next_url, bar=bar,
                first_url=f"/orders?{urlencode(query)}" if cursor else None, export_query=urlencode(query))


@router.get("/orders/export.{format}")
def export_orders(format: str, request: Request, actor: WebActor, hub: HubDep, status: str = "", channel: str = "",
                  q: str = "", external_id: str = "", phone: str = "", since: str = "", until: str = "",
                  sort: str = "") -> StreamingResponse:
    """The orders the page's filters match, every one of them, as CSV or Excel (as the API exports them)."""
    form = {"status": status, "channel": channel, "q": q, "external_id": external_id, "phone": phone,
            "since": since, "until": until, "sort": sort.strip()}
    where = zone_of(request)
    spec = order_figures.order_list(actor.tenant_id, _search(actor, form, where))
    spec.sort_order(form["sort"] or None)  # refused before the answer starts
    rows = (export_row(order_as_seen_by(actor.role, order), where)
            for order in every_row(hub.engine.connect, spec, sort=form["sort"] or None))
    return export_response(format, "orders", export_header(where), rows)


def _search(actor: Actor, form: dict[str, str], where: ZoneInfo) -> order_figures.OrderSearch:
    """The form's filters (ordering.list_filters, as the API reads a saved filter); its days are days on a clock in
    the page's zone (a day in Asia/Shanghai starts at 16:00 UTC the day before)."""
    return search_of({name: value.strip() for name, value in form.items()}, personal=can(actor, "personal_data.read"),
                     partner_id=actor.partner_id, where=where)


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        order = order_queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
        try:  # the routing decision is all about the brand's nodes: not for a partner's eyes (blind)
            decision = (decision_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
                        if can(actor, "nodes.read") else None)
        except NoDecision:
            decision = None
        # the plans' shipping prices are in the routing policy's currency
        shipping_currency = policy_view(uow.connection, actor.tenant_id)["policy"]["currency"] if decision else None
        shipments = [shipment_as_seen_by(actor.role, s) for s in shipments_of(uow.connection, actor.tenant_id,
                                                                              order_id)]
        messages = channel_queries.inbound_messages_of(uow.connection, actor.tenant_id, order_id)
    personal = can(actor, "personal_data.read")
    order = order_as_seen_by(actor.role, order)
    for message in messages:
        message["shown"] = readable_payload(message["body"]) if personal else masked_payload(message["body"])
    return page(request, "order.html", actor, order=order, decision=decision, shipments=shipments,
                messages=messages, masked=not personal, shipping_currency=shipping_currency)

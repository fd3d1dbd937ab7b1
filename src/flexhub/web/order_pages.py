"""Order pages: the search (channel, status, order number, buyer's phone ending, dates) and an order's page with
its lines, reservations, routing decision, shipments with tracking, and the raw channel messages it came from.
Buyers' personal data is masked for roles without `personal_data.read`."""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from flexhub.api.auth import HubDep
from flexhub.identity.masking import masked_payload, order_as_seen_by, readable_payload
from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.messages import Actor
from flexhub.ordering import queries as order_figures
from flexhub.ordering import queries as order_queries
from flexhub.routing.errors import NoDecision
from flexhub.routing.queries import decision_view
from flexhub.web.render import page
from flexhub.web.session import WebActor, can

router = APIRouter(include_in_schema=False)
STATUSES = ("received", "reserved", "awaiting_stock", "routed", "picking", "packed", "partially_shipped", "shipped",
            "delivered", "closed", "cancelled", "exception", "on_hold")
PHONE_ENDING = re.compile(r"\d{3,11}")


@router.get("/orders", response_class=HTMLResponse)
def orders(request: Request, actor: WebActor, hub: HubDep, status: str = "", channel: str = "", external_id: str = "",
           phone: str = "", since: str = "", until: str = "") -> HTMLResponse:
    form = {"status": status, "channel": channel.strip(), "external_id": external_id.strip(), "phone": phone.strip(),
            "since": since, "until": until}
    try:
        search = _search(actor, form)
    except ValidationFailed as error:
        return page(request, "orders.html", actor, orders=[], form=form, statuses=STATUSES, error=error,
                    status_code=error.status)
    with hub.uow(write=False) as uow:
        found = order_figures.search_orders(uow.connection, actor.tenant_id, search)
    return page(request, "orders.html", actor, orders=found, form=form, statuses=STATUSES, error=None)


def _search(actor: Actor, form: dict[str, str]) -> order_figures.OrderSearch:
    if form["phone"] and not PHONE_ENDING.fullmatch(form["phone"]):
        raise ValidationFailed("the phone filter is the last 3 to 11 digits of the buyer's phone")
    if form["status"] and form["status"] not in STATUSES:
        raise ValidationFailed(f"unknown status {form['status']}")
    since, until = _day(form["since"]), _day(form["until"])
    return order_figures.OrderSearch(
        channel=form["channel"] or None, status=form["status"] or None, external_id=form["external_id"] or None,
        phone_ending=form["phone"] or None, since=since, partner_id=actor.partner_id,
        until=until + timedelta(days=1) if until else None)  # "until" names a day and includes it


def _day(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time.min, tzinfo=UTC)
    except ValueError as error:
        raise ValidationFailed(f"{text!r} is not a day (YYYY-MM-DD)") from error


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: uuid.UUID, request: Request, actor: WebActor, hub: HubDep) -> HTMLResponse:
    with hub.uow(write=False) as uow:
        order = order_queries.order_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
        try:
            decision = decision_view(uow.connection, actor.tenant_id, order_id, partner_id=actor.partner_id)
        except NoDecision:
            decision = None
        shipments = order_figures.shipments_of(uow.connection, actor.tenant_id, order_id)
        messages = order_figures.inbound_messages_of(uow.connection, actor.tenant_id, order_id)
    personal = can(actor, "personal_data.read")
    order = order_as_seen_by(actor.role, order)
    for message in messages:
        message["shown"] = readable_payload(message["body"]) if personal else masked_payload(message["body"])
    return page(request, "order.html", actor, order=order, decision=decision, shipments=shipments,
                messages=messages, masked=not personal)

"""The orders list's filters as the list page's address names them, and saved filters keep them (channel, status, q,
external_id: the start of the order number, phone: the buyer phone's ending, since and until: days, each whole in
the zone the list is read in), made into what the list searches. The page and /api/v1/orders read them through here,
so a saved filter finds the same orders from either."""

import re
import uuid
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flexhub.kernel.errors import ValidationFailed
from flexhub.kernel.zones import day_span
from flexhub.ordering.queries import OrderSearch
from flexhub.ordering.rules import STATUSES

PHONE_ENDING = re.compile(r"\d{3,11}")


def search_of(form: Mapping[str, str], *, personal: bool, partner_id: uuid.UUID | None,
              where: ZoneInfo) -> OrderSearch:
    """What these filters search (one left out or empty filters nothing); ValidationFailed for a phone, status or
    day it cannot read. `personal`: the searcher may see buyers' phones."""
    phone, status = form.get("phone", ""), form.get("status", "")
    if phone and not PHONE_ENDING.fullmatch(phone):
        raise ValidationFailed("the phone filter is the last 3 to 11 digits of the buyer's phone")
    if status and status not in STATUSES:
        raise ValidationFailed(f"unknown status {status}")
    since, until = day_span(_day(form.get("since", "")), _day(form.get("until", "")), where)  # "until" included
    return OrderSearch(channels=(form["channel"],) if form.get("channel") else (), statuses=(status,) if status else (),
                       text=form.get("q", "")[:64] or None, number_starts=form.get("external_id") or None,
                       phone_ending=phone or None, personal=personal, since=since, until=until, partner_id=partner_id)


def given_over(saved: OrderSearch, given: OrderSearch) -> OrderSearch:
    """A saved filter's search with each filter the request gives itself in its place; an order number given
    exactly replaces the saved start of one."""
    chosen: dict[str, Any] = {f.name: getattr(given, f.name) for f in fields(OrderSearch) if getattr(given, f.name)}
    if given.external_id:
        chosen["number_starts"] = None
    return replace(saved, **chosen)


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise ValidationFailed(f"{text!r} is not a day (YYYY-MM-DD)") from error

"""What the pages show for the domain's codes (statuses, states, roles), for times and for amounts of money.

A code is its own English message id: English pages show `awaiting_stock` as the API does, and each catalog
translates it (a test fails when a code here has no Chinese). Times are shown in the tenant's zone when it has set
one, else in the zone of the page's language (Asia/Shanghai for Chinese, UTC for English), to the second, with the
offset named. An amount (integer minor units and its currency) is shown as the page's language writes that currency
(Babel's CLDR data): ¥1,234.50 for CNY and US$1,234.50 for USD on a Chinese page, CN¥1,234.50 and $1,234.50 on an
English one, to the currency's own minor unit (¥1,234 for JPY)."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request

from flexhub.batches import ACTIONS
from flexhub.fulfillment.rules import STATES as SHIPMENT_STATES
from flexhub.identity.roles import ROLES
from flexhub.kernel.money_text import money_text
from flexhub.kernel.zones import local, zone
from flexhub.ordering.rules import STATUSES as ORDER_STATUSES
from flexhub.purchasing.rules import DISCREPANCY_KINDS, NOTICE_STATES
from flexhub.purchasing.rules import KINDS as PURCHASE_ORDER_KINDS
from flexhub.purchasing.rules import STATES as PURCHASE_ORDER_STATES
from flexhub.resellers.rules import KINDS as ACCOUNT_ENTRY_KINDS
from flexhub.returns.rules import TRANSITIONS as RETURN_STATES
from flexhub.shipping.carrier import TRACKING_STATES
from flexhub.web import i18n

RESERVATION_STATES = ("active", "released", "consumed", "expired")
TRANSFER_STATES = ("in_transit", "received")
BATCH_ACTIONS = tuple(ACTIONS)
BATCH_STATES = ("pending", "running", "done", "failed")
CODES = frozenset((*ORDER_STATUSES, *SHIPMENT_STATES, *TRACKING_STATES, *ROLES, *RESERVATION_STATES,
                   *TRANSFER_STATES, *RETURN_STATES, *ACCOUNT_ENTRY_KINDS, *BATCH_ACTIONS, *BATCH_STATES,
                   *PURCHASE_ORDER_STATES, *PURCHASE_ORDER_KINDS, *NOTICE_STATES, *DISCREPANCY_KINDS))
ZONES = {"en": ZoneInfo("UTC"), "zh_Hans": ZoneInfo("Asia/Shanghai")}


def label(code: str | None) -> str:
    """A code as this page's language says it; a code not listed here is shown as it is."""
    if not code:
        return ""
    return i18n.gettext_(code) if code in CODES else code


def zone_of(request: Request) -> ZoneInfo:
    """The zone this page shows times in: the signed-in tenant's own, else its language's."""
    name = getattr(request.state, "time_zone", None)
    return zone(name) if name else ZONES.get(i18n.current.get(), ZONES["en"])


@jinja2.pass_context
def when(context: Any, value: datetime | None, shape: str = "%Y-%m-%d %H:%M:%S") -> str:
    """The template filter: a time in the zone the page was made with (render.page puts it in)."""
    return local_time(value, shape, where=context.get("zone"))


def local_time(value: datetime | None, shape: str = "%Y-%m-%d %H:%M:%S", *, where: ZoneInfo | None = None) -> str:
    """`2026-12-05 14:59:51 +08:00`: in the zone given (else the language's), whole seconds, the offset named
    (naive is UTC)."""
    if value is None:
        return ""
    shown = local(value, where or ZONES.get(i18n.current.get(), ZONES["en"]))
    offset = shown.strftime("%z")
    return f"{shown.strftime(shape)} {'UTC' if offset == '+0000' else offset[:3] + ':' + offset[3:]}"


def money(amount: int | None, currency: str | None, locale: str | None = None) -> str:
    """The template filter: `¥1,234.50`, an amount in minor units as `locale` (else the page's language) writes its
    currency (kernel.money_text, which the printed shelf labels use too)."""
    return money_text(amount, currency, locale or i18n.current.get())

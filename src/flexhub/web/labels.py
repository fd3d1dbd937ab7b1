"""What the pages show for the domain's codes (statuses, states, roles) and for times.

A code is its own English message id: English pages show `awaiting_stock` as the API does, and each catalog
translates it (a test fails when a code here has no Chinese). Times are shown in the zone of the page's language
(Asia/Shanghai for Chinese, UTC for English), to the second, with the zone named."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flexhub.batches import ACTIONS
from flexhub.fulfillment.rules import STATES as SHIPMENT_STATES
from flexhub.identity.roles import ROLES
from flexhub.ordering.rules import STATUSES as ORDER_STATUSES
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
                   *PURCHASE_ORDER_STATES))
ZONES = {"en": ZoneInfo("UTC"), "zh_Hans": ZoneInfo("Asia/Shanghai")}


def label(code: str | None) -> str:
    """A code as this page's language says it; a code not listed here is shown as it is."""
    if not code:
        return ""
    return i18n.gettext_(code) if code in CODES else code


def local_time(value: datetime | None, shape: str = "%Y-%m-%d %H:%M:%S") -> str:
    """`2026-12-05 14:59:51 +08:00`: in the page's zone, whole seconds, the offset named (naive is UTC)."""
    if value is None:
        return ""
    zone = ZONES.get(i18n.current.get(), ZONES["en"])
    aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
    shown = aware.astimezone(zone)
    offset = shown.strftime("%z")
    return f"{shown.strftime(shape)} {'UTC' if offset == '+0000' else offset[:3] + ':' + offset[3:]}"

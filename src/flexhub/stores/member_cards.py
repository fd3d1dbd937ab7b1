"""A member's card on their phone (the mini-program's logged-in member, stood in for): a link the hub's key tags for
one member of one tenant, shown as a QR code on the store staff's page when the member gives their phone at the
counter. Opened on the member's phone it is kept in a cookie for the tenant's shopper pages, so the cart knows the
member: their points and the coupons they hold, each with what it would take off the cart now. A card link or
cookie not made by this hub names nobody; points and coupons stay a member's own."""

import uuid
from typing import Any

from flexhub import members
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import may
from flexhub.integrations.vault import Vault
from flexhub.kernel.errors import FlexhubError
from flexhub.stores.links import PREFIX
from flexhub.stores.qr import qr_svg
from flexhub.stores.rules import most_points

COOKIE, KEPT_S = "flexhub_member", 30 * 24 * 3600
STORE_CHANNEL = "store"  # the channel a coupon names to be good in the stores


def card_path(vault: Vault, tenant_id: uuid.UUID, member_id: uuid.UUID) -> str:
    return f"{PREFIX}/{tenant_id}/members/{member_id}/card?m={vault.tag(_signed(tenant_id, member_id))}"


def token(vault: Vault, tenant_id: uuid.UUID, member_id: uuid.UUID) -> str:
    """What the member's phone keeps (the cookie): the member and the card's tag."""
    return f"{member_id}.{vault.tag(_signed(tenant_id, member_id))}"


def is_genuine(vault: Vault, tenant_id: uuid.UUID, member_id: uuid.UUID, tag: str) -> bool:
    return vault.has_tag(_signed(tenant_id, member_id), tag)


def member_of(vault: Vault, tenant_id: uuid.UUID, text: str | None) -> uuid.UUID | None:
    """The member a kept card names; None for no card, or one this hub did not make for this tenant."""
    member, _, tag = (text or "").partition(".")
    try:
        member_id = uuid.UUID(member)
    except ValueError:
        return None
    return member_id if is_genuine(vault, tenant_id, member_id, tag) else None


def wallet(uow: UnitOfWork, tenant_id: uuid.UUID, member_id: uuid.UUID, *, subtotal: int,
           currency: str) -> dict[str, Any]:
    """The member as their own phone shows them: name, points (and the most a cart of `subtotal` may take), tier,
    and each coupon they hold with what it takes off now, or why it does not apply."""
    member = members.member_view(uow.connection, tenant_id, member_id, "admin")
    held = []
    for coupon in member["coupons"]:
        if coupon["state"] != "issued":
            continue
        try:
            off, why = members.coupons.preview(uow.connection, tenant_id, member_id, coupon["code"],
                                               subtotal=subtotal, currency=currency, channel=STORE_CHANNEL), None
        except FlexhubError as refused:
            off, why = None, refused
        held.append({**coupon, "off": off, "why": why})
    return {"id": member["id"], "name": member["name"], "points": member["points"], "tier": member["tier"],
            "spendable": most_points(member["points"], subtotal), "coupons": held}


def card_for_phone(uow: UnitOfWork, vault: Vault, actor: Any, phone: str, base_url: str) -> dict[str, Any]:
    """The card of the member with this phone (its absolute address, and as a QR code of it) for the staff to show
    them; `found` False when no member has the phone. Only staff who may sell in the store make cards."""
    if not may(actor.role, "stores.write"):
        return {"found": False, "refused": True}
    buyer = members.member_of_buyer(uow.connection, actor.tenant_id, STORE_CHANNEL, {"phone": phone.strip()[:30]})
    if buyer is None:
        return {"found": False}
    member = members.member_view(uow.connection, actor.tenant_id, buyer.id, actor.role)
    url = base_url.rstrip("/") + card_path(vault, actor.tenant_id, buyer.id)
    return {"found": True, "id": member["id"], "name": member["name"], "points": member["points"], "url": url,
            "qr": qr_svg(url)}


def _signed(tenant_id: uuid.UUID, member_id: uuid.UUID) -> str:
    return f"member-card\n{tenant_id}\n{member_id}"

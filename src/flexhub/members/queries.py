"""Reading members: one member with their ids, their orders from every channel (matched by phone or a platform's
buyer id), points history and coupons, as a role may see them (phone and name masked without personal data)."""

import uuid
from typing import Any

from sqlalchemy import Connection

from flexhub import ordering
from flexhub.identity import masked_text, may
from flexhub.members import repository, rules
from flexhub.members.errors import InvalidPhone


def member_view(connection: Connection, tenant_id: uuid.UUID, member_id: str | uuid.UUID, role: str) -> dict[str, Any]:
    member = repository.member(connection, tenant_id, member_id)
    ids = repository.identities(connection, tenant_id, member.id)
    personal = may(role, "personal_data.read")
    return {
        "id": str(member.id), "points": member.points, "lifetime_points": member.lifetime_points,
        "tier": rules.tier(member.lifetime_points), "created_at": member.created_at,
        "name": member.name if personal else masked_text(member.name),
        "phone": member.phone if personal else masked_text(member.phone),
        "identities": [{"scope": i.scope, "value": i.value if personal else masked_text(i.value)} for i in ids],
        "orders": member_orders(connection, tenant_id, member, ids),
        "points_history": [_entry(e) for e in repository.points_history(connection, tenant_id, member.id)],
        "coupons": [{"id": str(c.id), "code": c.code, "kind": c.kind, "value": c.value, "threshold": c.threshold,
                     "currency": c.currency, "valid_until": c.valid_until, "state": c.state}
                    for c in repository.coupons_of(connection, tenant_id, member.id)],
    }


def member_orders(connection: Connection, tenant_id: uuid.UUID, member: Any, ids: list[Any]) -> list[dict[str, Any]]:
    found = ordering.orders_of_buyers(connection, tenant_id, phones=rules.phone_forms(member.phone),
                                      buyer_ids=[(i.scope, i.value) for i in ids if i.scope not in rules.WECHAT_SCOPES])
    keys = ("id", "channel", "external_id", "status", "payment_state", "total", "currency", "created_at")
    return [{k: order[k] for k in keys} for order in found]


def member_of_buyer(connection: Connection, tenant_id: uuid.UUID, channel: str, buyer: dict[str, Any]) -> Any:
    """The member an order's buyer is: by the platform's buyer id on that channel, else by phone; None if neither."""
    return members_of_buyers(connection, tenant_id, [(channel, buyer)])[0]


def members_of_buyers(connection: Connection, tenant_id: uuid.UUID,
                      buyers: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """The member each (channel, buyer) is, as `member_of_buyer` says, read for them all at once (two statements
    however many buyers: a batch's event lists hundreds): the oldest member holding the buyer's id on that channel
    or having the buyer's phone; None for a buyer who is nobody."""
    keys = [_buyer_keys(channel, buyer) for channel, buyer in buyers]
    ids = {pair for pairs, _ in keys for pair in pairs}
    phones = {phone for _, found in keys for phone in found}
    owners = repository.identity_owners(connection, tenant_id, ids)
    if not phones and not owners:
        return [None] * len(buyers)
    members = repository.members_by_phone_or_id(connection, tenant_id, phones, set(owners.values()))
    return [_first(members, {owners[pair] for pair in pairs if pair in owners}, found) for pairs, found in keys]


def _buyer_keys(channel: str, buyer: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """A buyer's (channel, buyer id) and normalised phone, where they have them."""
    ids = [(channel, str(buyer["external_id"]))] if buyer.get("external_id") else []
    phones = []
    if buyer.get("phone"):
        try:
            phones = [rules.normalized_phone(str(buyer["phone"]))]
        except InvalidPhone:  # a platform's masked or odd phone names nobody
            phones = []
    return ids, phones


def _first(members: list[Any], member_ids: set[uuid.UUID], phones: list[str]) -> Any:
    """The oldest of `members` (oldest first) with one of these ids or phones."""
    return next((m for m in members if m.id in member_ids or m.phone in phones), None)


def _entry(row: Any) -> dict[str, Any]:
    return {"kind": row.kind, "delta": row.delta, "balance": row.balance, "reason": row.reason,
            "order_ref": row.order_ref, "created_at": row.created_at}

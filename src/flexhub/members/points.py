"""The points ledger, written inside a caller's unit of work: each change an entry with the balance after it, the
member's row moved by compare-and-set so it never goes below zero, and an order earns, spends and is reversed once."""

import uuid
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel.ids import new_id
from flexhub.members import repository, rules
from flexhub.members.errors import InsufficientPoints
from flexhub.members.events import PointsChanged


def change(uow: UnitOfWork, actor: str, member: Any, *, kind: str, delta: int, reason: str,
           order_ref: str | None = None) -> int | None:
    """The balance after the change, or None when this order's entry of this kind is there already. `member` is the
    row as read (locked) in `uow`."""
    c, tenant_id = uow.connection, member.tenant_id
    balance = rules.balance_after(member.points, delta)
    entry = {"id": new_id(), "tenant_id": tenant_id, "member_id": member.id, "kind": kind, "delta": delta,
             "balance": balance, "reason": reason[:200], "order_ref": order_ref, "actor": actor[:200]}
    if not repository.insert_entry(c, entry):
        return None
    if not repository.add_points(c, tenant_id, member.id, delta, earned=max(0, delta) if kind == "earn" else 0):
        raise InsufficientPoints("the member's points changed meanwhile: try again", points=member.points)
    uow.record(PointsChanged(tenant_id=tenant_id, member_id=str(member.id), kind=kind, delta=delta, balance=balance,
                             order_ref=order_ref))
    return balance


def earn(uow: UnitOfWork, actor: str, member_id: uuid.UUID, tenant_id: uuid.UUID, order_ref: str, paid: int) -> None:
    earned = rules.points_for(paid)
    if earned > 0:
        member = repository.member(uow.connection, tenant_id, member_id, lock=True)
        change(uow, actor, member, kind="earn", delta=earned, reason=f"paid order {order_ref}", order_ref=order_ref)


def spend(uow: UnitOfWork, actor: str, member: Any, order_ref: str, points: int) -> None:
    if points > 0:
        change(uow, actor, member, kind="spend", delta=-points, reason=f"spent on {order_ref}", order_ref=order_ref)


def reverse(uow: UnitOfWork, actor: str, member_id: uuid.UUID, tenant_id: uuid.UUID, order_ref: str) -> None:
    """A refunded order gives back the points it spent, then takes back the points it earned (what is left of them,
    if some were spent since)."""
    c = uow.connection
    entries = repository.order_entries(c, tenant_id, member_id, order_ref)
    if "spend" in entries:
        member = repository.member(c, tenant_id, member_id, lock=True)
        change(uow, actor, member, kind="refund_spent", delta=-entries["spend"].delta,
               reason=f"refund of {order_ref}", order_ref=order_ref)
    if "earn" in entries:
        member = repository.member(c, tenant_id, member_id, lock=True)
        taken = rules.reversal(member.points, entries["earn"].delta)
        owed = f" ({taken.owed} already spent)" if taken.owed else ""
        change(uow, actor, member, kind="reverse", delta=taken.delta, reason=f"refund of {order_ref}{owed}",
               order_ref=order_ref)


def spend_on(uow: UnitOfWork, actor: str, tenant_id: uuid.UUID, member_id: uuid.UUID, order_ref: str,
             points: int) -> None:
    """Points spent at a checkout, the member's row locked in `uow`."""
    spend(uow, actor, repository.member(uow.connection, tenant_id, member_id, lock=True), order_ref, points)


def give_back(uow: UnitOfWork, actor: str, tenant_id: uuid.UUID, member_id: uuid.UUID, order_ref: str,
              points: int, spent_on: str) -> None:
    """Points a checkout spent (under `spent_on`) given back for one refunded order of it, once per order."""
    if points > 0:
        member = repository.member(uow.connection, tenant_id, member_id, lock=True)
        change(uow, actor, member, kind="refund_spent", delta=points,
               reason=f"refund of {order_ref} (spent on {spent_on})", order_ref=order_ref)


def balance(uow: UnitOfWork, tenant_id: uuid.UUID, member_id: uuid.UUID | str) -> int:
    return int(repository.member(uow.connection, tenant_id, member_id).points)

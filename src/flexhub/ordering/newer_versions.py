"""Newer versions of known orders applied together: what a flash sale's payments are (the same order, paid).

A batch's newer versions are read in a few statements (every order locked at once in id order, their lines, the
channels and SKUs they name). Those whose change is only the header — the payment, the buyer, times; lines the
same, or the order past the point where its lines may change — are written together: a paid order's
reservations kept indefinitely in one statement, the headers by one compare-and-set statement for all, and each
order's `OrderStatusChanged`, `OrderUpdated` and audit entry as `updates.apply_newer_version` records them. A
version no newer than the stored one is answered with the order's status and nothing written. Every other change
(a cancellation, changed lines, a version the hub refuses, an order twice in the batch) is left to
`apply_newer_version`, one by one: `apply_simple` answers None for it.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.identity import audit
from flexhub.inventory import reservations
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.ordering import repository
from flexhub.ordering.drafts import Lookups, draft
from flexhub.ordering.errors import StaleOrder
from flexhub.ordering.events import OrderStatusChanged, OrderUpdated
from flexhub.ordering.schemas import OrderIn
from flexhub.ordering.updates import LINES_OPEN

Newer = tuple[Actor, uuid.UUID, OrderIn]  # who sends it, the known order, its newer version
FIXED = ("id", "tenant_id", "partner_id", "channel_id")  # a header change never moves an order


def apply_simple(uow: UnitOfWork, items: Sequence[Newer]) -> list[str | None]:
    """Each item's status once applied, or None where `apply_newer_version` must apply it alone."""
    answers: list[str | None] = [None] * len(items)
    by_tenant: dict[uuid.UUID, list[int]] = defaultdict(list)
    for at, (actor, _, _) in enumerate(items):
        by_tenant[actor.tenant_id].append(at)
    for tenant_id, ats in by_tenant.items():
        _apply_for_tenant(uow, tenant_id, [(at, items[at]) for at in ats], answers)
    return answers


def _apply_for_tenant(uow: UnitOfWork, tenant_id: uuid.UUID, items: list[tuple[int, Newer]],
                      answers: list[str | None]) -> None:
    connection = uow.connection
    twice = {order_id for order_id, seen in Counter(order_id for _, (_, order_id, _) in items).items() if seen > 1}
    orders = repository.lock_orders(connection, tenant_id, {order_id for _, (_, order_id, _) in items} - twice)
    lines: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for line in repository.lines_of_orders(connection, tenant_id, list(orders)) if orders else ():
        lines[line.order_id].append(line)
    lookups = Lookups.load(connection, tenant_id, [incoming for _, (_, _, incoming) in items])
    writes: list[tuple[int, Actor, Any, dict[str, Any], bool]] = []
    for at, (actor, order_id, incoming) in items:
        order = orders.get(order_id)
        if order is None or incoming.cancelled:
            continue
        if order.channel_updated_at and incoming.updated_at and incoming.updated_at <= order.channel_updated_at:
            answers[at] = str(order.status)  # an older or equal version, overtaken by one already applied
            continue
        try:
            new = draft(order.id, incoming, lookups.channel_for(actor, incoming.channel), lookups)
        except FlexhubError:
            continue  # refused: apply_newer_version answers with its error
        if order.status in LINES_OPEN and _shape(lines[order.id]) != _shape(new.lines):
            continue  # its stock is taken again
        header = {k: v for k, v in new.order.items() if k not in FIXED}
        writes.append((at, actor, order, header, incoming.payment_state == "paid" and order.payment_state == "pending"))
    _write(uow, tenant_id, writes, answers)


def _write(uow: UnitOfWork, tenant_id: uuid.UUID, writes: list[tuple[int, Actor, Any, dict[str, Any], bool]],
           answers: list[str | None]) -> None:
    if not writes:
        return
    paid = [order.id for _, _, order, _, now_paid in writes if now_paid]
    if paid:
        reservations.keep_indefinitely(uow, paid)
    now = clock.now()
    written = repository.update_orders(uow.connection, tenant_id, [
        (order, {"updated_at": now, **header, "status": order.status, "status_reason": order.status_reason})
        for _, _, order, header, _ in writes])
    if written != len(writes):  # every order is locked: only a bug could move one meanwhile
        raise StaleOrder(f"{len(writes) - written} of {len(writes)} orders changed meanwhile; read them again")
    entries = []
    for at, actor, order, _, _ in writes:
        status, version = str(order.status), order.version + 1
        uow.record(OrderStatusChanged(tenant_id=tenant_id, order_id=str(order.id), previous=status, status=status,
                                      reason=order.status_reason, version=version))
        uow.record(OrderUpdated(tenant_id=tenant_id, order_id=str(order.id), status=status, version=version))
        entries.append((actor, audit.Audited("order.update", "order", order.id, {"status": status})))
        answers[at] = status
    audit.record_each(uow, entries)


def _shape(rows: Any) -> list[tuple[Any, ...]]:
    return [(_get(r, "sku_id"), _get(r, "quantity"), _get(r, "unit_price"), _get(r, "discount"),
             _get(r, "is_presale")) for r in rows]


def _get(row: Any, key: str) -> Any:
    return row[key] if isinstance(row, dict) else getattr(row, key)

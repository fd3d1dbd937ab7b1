"""Reservations: plan against locked levels, hold what the plan takes, release what is let go, consume what ships.

Planning and holding are two steps so that the caller can decide, between them, what to store
for each request (an order that finds too little stock is stored or refused by its caller).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import ledger, repository
from flexhub.inventory.ledger import Movement
from flexhub.inventory.rules import Delta, Level, LevelKey, Need, Take, plan_in_arrival_order
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


@dataclass(frozen=True, slots=True)
class ReservationPlan:
    levels: dict[LevelKey, Level]  # as locked, before the plan
    takes: list[list[Take] | None]  # per request, in arrival order; None: not enough stock


@dataclass(frozen=True, slots=True)
class Holder:
    """Who the reserved units are held for."""

    order_id: uuid.UUID
    actor: str
    expires_at: datetime | None = None


def plan(uow: UnitOfWork, tenant_id: uuid.UUID, requests: Sequence[Sequence[Need]]) -> ReservationPlan:
    """Lock every level the requests could draw from, then decide each request in arrival order."""
    sku_ids = {n.sku_id for needs in requests for n in needs}
    if not sku_ids:
        return ReservationPlan({}, [[] for _ in requests])
    pools = {p for needs in requests for n in needs for p in n.pools}
    locked = repository.lock_levels(uow.connection, tenant_id, sku_ids, pools=pools, shipping_only=True)
    working = {lv.id: lv for lv in locked}
    takes = plan_in_arrival_order(requests, working)
    return ReservationPlan({_key(lv): lv for lv in locked}, takes)


def hold(
    uow: UnitOfWork, tenant_id: uuid.UUID, planned: ReservationPlan, holders: Sequence[Holder | None]
) -> None:
    """Write the planned takes of each request whose holder is given: ledger, levels, reservations."""
    movements, rows = [], []
    for takes, holder in zip(planned.takes, holders, strict=True):
        if takes and holder is not None:
            movements.extend(_reserve_movements(takes, holder))
            rows.extend(_reservation_rows(tenant_id, takes, holder))
    if movements:
        ledger.apply(uow, tenant_id, planned.levels, movements, cause="reserve")
        repository.insert_reservations(uow.connection, rows)


def move(
    uow: UnitOfWork, tenant_id: uuid.UUID, levels: dict[LevelKey, Level], held: Sequence[Any],
    takes: Sequence[Take], holder: Holder, *, reason: str,
) -> dict[LevelKey, Level]:
    """Release an order's active reservations `held` and hold `takes` instead, in one ledger posting; returns the
    levels after it.

    `levels` are locked by the caller and cover every key of both; releases are applied first, so a
    take may reuse what the order let go of at the same level.
    """
    releases = [
        Movement((r.sku_id, r.location_id, r.pool), "release", Delta(reserved=-r.quantity), holder.actor, reason,
                 str(r.order_id))
        for r in held
    ]
    after = ledger.apply(uow, tenant_id, levels, [*releases, *_reserve_movements(takes, holder)], cause=reason)
    repository.close_reservations(uow.connection, [r.id for r in held], "released", clock.now())
    repository.insert_reservations(uow.connection, _reservation_rows(tenant_id, takes, holder))
    return after


def consume(
    uow: UnitOfWork, tenant_id: uuid.UUID, levels: dict[LevelKey, Level], shipped: Sequence[Movement],
    closed: Iterable[uuid.UUID], remainders: Sequence[tuple[Take, Holder]],
) -> None:
    """Units leave a node against their reservations: the `ship` movements posted on `levels` (locked by the caller),
    the reservations they used up closed as consumed, and each one taken in part held again for its rest."""
    ledger.apply(uow, tenant_id, levels, shipped, cause="ship")
    repository.close_reservations(uow.connection, closed, "consumed", clock.now())
    repository.insert_reservations(uow.connection, [
        row for take, holder in remainders for row in _reservation_rows(tenant_id, [take], holder)])


def _reserve_movements(takes: Sequence[Take], holder: Holder) -> list[Movement]:
    return [
        Movement((t.sku_id, t.location_id, t.pool), "reserve", Delta(reserved=t.quantity), holder.actor, "order",
                 str(holder.order_id))
        for t in takes
    ]


def _reservation_rows(tenant_id: uuid.UUID, takes: Sequence[Take], holder: Holder) -> list[dict[str, Any]]:
    now = clock.now()
    return [
        {"id": new_id(), "tenant_id": tenant_id, "order_id": holder.order_id, "line_no": t.line_no,
         "sku_id": t.sku_id, "location_id": t.location_id, "pool": t.pool, "quantity": t.quantity,
         "state": "active", "expires_at": holder.expires_at, "created_at": now, "closed_at": None}
        for t in takes
    ]


def release(
    uow: UnitOfWork, tenant_id: uuid.UUID, order_ids: Iterable[uuid.UUID], *, actor: str, reason: str
) -> int:
    """Release every active reservation of these orders; returns the units released."""
    active = repository.active_reservations(uow.connection, tenant_id, order_ids)
    if not active:
        return 0
    keys = [(r.sku_id, r.location_id, r.pool) for r in active]
    levels = repository.lock_levels_by_key(uow.connection, tenant_id, keys)
    movements = [
        Movement(key, "release", Delta(reserved=-r.quantity), actor, reason, str(r.order_id))
        for key, r in zip(keys, active, strict=True)
    ]
    ledger.apply(uow, tenant_id, levels, movements, cause="release")
    repository.close_reservations(uow.connection, [r.id for r in active], "released", clock.now())
    return sum(r.quantity for r in active)


def _key(level: Level) -> LevelKey:
    return (level.sku_id, level.location_id, level.pool)


def keep_indefinitely(uow: UnitOfWork, order_ids: Sequence[uuid.UUID]) -> None:
    """Paid orders' reservations no longer lapse (one statement for them all)."""
    repository.clear_expiry(uow.connection, order_ids)

"""Reservations: plan against locked levels, hold what the plan takes, release what is let go.

Planning and holding are two steps so that the caller can decide, between them, what to store
for each request (an order that finds too little stock is stored or refused by its caller).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import ledger, repository
from flexhub.inventory.ledger import Movement
from flexhub.inventory.repository import LevelKey
from flexhub.inventory.rules import Delta, Level, Need, Take, plan_in_arrival_order
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
    movements, rows, now = [], [], clock.now()
    for takes, holder in zip(planned.takes, holders, strict=True):
        if not takes or holder is None:
            continue
        for take in takes:
            key = (take.sku_id, take.location_id, take.pool)
            delta = Delta(reserved=take.quantity)
            movements.append(Movement(key, "reserve", delta, holder.actor, "order", str(holder.order_id)))
            rows.append({
                "id": new_id(), "tenant_id": tenant_id, "order_id": holder.order_id, "line_no": take.line_no,
                "sku_id": take.sku_id, "location_id": take.location_id, "pool": take.pool,
                "quantity": take.quantity, "state": "active", "expires_at": holder.expires_at,
                "created_at": now, "closed_at": None,
            })
    if movements:
        ledger.apply(uow, tenant_id, planned.levels, movements, cause="reserve")
        repository.insert_reservations(uow.connection, rows)


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


def keep_indefinitely(uow: UnitOfWork, order_id: uuid.UUID) -> None:
    """A paid order's reservations no longer lapse."""
    repository.clear_expiry(uow.connection, order_id)

"""Posting to the ledger: the one way stock levels change.

Each movement is checked against invariant 2 by the pure rules, written as a guarded update of
its level row and appended to the ledger with actor, reason and reference, in one transaction.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flexhub.db.unit_of_work import UnitOfWork
from flexhub.inventory import repository
from flexhub.inventory.events import StockChanged
from flexhub.inventory.rules import Delta, Level, LevelKey
from flexhub.kernel import clock
from flexhub.kernel.ids import new_id


@dataclass(frozen=True, slots=True)
class Movement:
    key: LevelKey
    kind: str
    delta: Delta
    actor: str
    reason: str
    reference: str | None = None


def post(
    uow: UnitOfWork, tenant_id: uuid.UUID, movements: Sequence[Movement], *, cause: str
) -> dict[LevelKey, Level]:
    """Create missing level rows, lock them, then apply the movements."""
    keys = {m.key for m in movements}
    repository.ensure_levels(uow.connection, tenant_id, keys)
    levels = repository.lock_levels_by_key(uow.connection, tenant_id, list(keys))
    return apply(uow, tenant_id, levels, movements, cause=cause)


def apply(
    uow: UnitOfWork,
    tenant_id: uuid.UUID,
    levels: dict[LevelKey, Level],
    movements: Sequence[Movement],
    *,
    cause: str,
) -> dict[LevelKey, Level]:
    """Apply movements to levels already locked by the caller; returns the levels after."""
    after = dict(levels)
    deltas: dict[uuid.UUID, Delta] = {}
    for m in movements:
        level = after[m.key]
        after[m.key] = level.after(m.delta)
        deltas[level.id] = deltas.get(level.id, Delta()) + m.delta
    repository.write_levels(uow.connection, deltas)
    repository.append_movements(uow.connection, _ledger_rows(tenant_id, movements))
    changed = {m.key: after[m.key] for m in movements}
    uow.record(StockChanged(tenant_id=tenant_id, levels=level_documents(changed.values()), cause=cause))
    return after


def level_documents(levels: Iterable[Level]) -> list[dict[str, object]]:
    return [
        {
            "sku_id": str(lv.sku_id),
            "location_id": str(lv.location_id),
            "pool": lv.pool,
            "on_hand": lv.on_hand,
            "reserved": lv.reserved,
            "available": lv.available,
        }
        for lv in levels
    ]


def _ledger_rows(tenant_id: uuid.UUID, movements: Sequence[Movement]) -> list[dict[str, object]]:
    at = clock.now()
    return [
        {
            "id": new_id(),
            "tenant_id": tenant_id,
            "sku_id": m.key[0],
            "location_id": m.key[1],
            "pool": m.key[2],
            "kind": m.kind,
            "on_hand_delta": m.delta.on_hand,
            "reserved_delta": m.delta.reserved,
            "in_transit_delta": m.delta.in_transit,
            "actor": m.actor,
            "reason": m.reason,
            "reference": m.reference,
            "created_at": at,
        }
        for m in movements
    ]
